using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// A model that has native kernels (the generator implements it on every eligible model; see docs/dsl.md, native kernels):
/// batched rates and their vector–Jacobian product over spans, in float32 or float64, without TorchSharp.
/// </summary>
public interface IRatesKernelSource
{
    /// <summary>State, input and parameter layout of the kernels.</summary>
    KernelLayout KernelLayout { get; }

    /// <summary>
    /// The kernels in <typeparamref name="T"/> (<see cref="float"/> or <see cref="double"/>). They read the model's
    /// non-<c>const</c> <c>[Constant]</c> fields at every call, as the TorchSharp rates do; parameters come in through θ.
    /// </summary>
    RatesKernel<T> CreateKernel<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}
