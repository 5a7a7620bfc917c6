using NodeDsl.Numerics;

namespace NodeDsl.Runtime;

/// <summary>
/// Where <see cref="Backend.Auto"/> switches from the native kernels to TorchSharp on the CPU. Measured on one thread
/// (bench: <c>backends crossover</c>; table in docs/backends.md): rk4 training iterations of the spiral model at batch 1,
/// 20, 256 and 4096 × hidden width 50 and 256, native took 0.05–0.61 of TorchSharp's time everywhere
/// (quiet machine, 2026-11-30). Beyond the measured
/// range (batch × widest layer above 4096 × 256) Auto leaves the solve to TorchSharp, whose GEMM uses every core.
/// </summary>
internal static class NativeCrossover
{
    /// <summary>Largest measured batch × widest layer (4096 rows × 256 hidden units).</summary>
    internal const long MeasuredLimit = 4096L * 256;

    /// <summary>True when the native kernels are expected to be faster than TorchSharp for this batch and model.</summary>
    public static bool PrefersNative(int rows, KernelLayout layout)
    {
        // The widest layer: the largest output count of a weight matrix ([out, in]); 1 for a model without networks.
        long widest = layout.Parameters.Where(p => p.Shape.Count == 2).Select(p => (long)p.Shape[0]).DefaultIfEmpty(1).Max();
        return rows * widest <= MeasuredLimit;
    }
}
