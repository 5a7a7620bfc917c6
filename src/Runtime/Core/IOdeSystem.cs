using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A batched vector field <c>dy/dt = f(t, y)</c>.
/// </summary>
/// <remarks>
/// <para><c>y</c> has shape <c>[batch, n]</c>. <c>t</c> has the dtype and device of <c>y</c> and is either a
/// 0-d tensor (all rows at the same time) or a <c>[batch, 1]</c> tensor (each row at its own time, used by
/// per-trajectory step control); implementations must broadcast it against <c>[batch, 1]</c>.</para>
/// <para>The result has the shape, dtype and device of <c>y</c>. Implementations must not modify their inputs.</para>
/// </remarks>
public interface IOdeSystem
{
    /// <summary>Evaluates the rates <c>f(t, y)</c>.</summary>
    Tensor Rates(Tensor t, Tensor y);
}

/// <summary>A vector field given as a delegate; see <see cref="IOdeSystem"/> for the shape contract.</summary>
public delegate Tensor OdeFunc(Tensor t, Tensor y);

/// <summary>Adapts an <see cref="OdeFunc"/> delegate to <see cref="IOdeSystem"/>.</summary>
public sealed class DelegateOdeSystem(OdeFunc rates) : IOdeSystem
{
    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y) => rates(t, y);
}
