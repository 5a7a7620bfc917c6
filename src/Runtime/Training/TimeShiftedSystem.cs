using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// Gives <see cref="ITimeOffsetSystem"/> to a system that lacks it: evaluates the system, and its vector–Jacobian
/// products, at <c>t + TimeOffsets</c> (a <c>[batch, 1]</c> time, which <see cref="IOdeSystem"/> implementations accept).
/// </summary>
internal sealed class TimeShiftedSystem(IOdeSystem inner) : ITimeOffsetSystem, IRatesVjp
{
    // The wrapped system's own VJP (generated, or an AutogradRatesVjp over its module parameters), as the adjoints would resolve it.
    readonly IRatesVjp vjp = AutogradRatesVjp.Resolve(inner);

    /// <inheritdoc />
    public Tensor? TimeOffsets { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> Parameters => vjp.Parameters;

    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y) => inner.Rates(Shift(t), y);

    /// <inheritdoc />
    public RatesVjpResult Vjp(Tensor t, Tensor y, Tensor a, bool withTime = false)
    {
        var result = vjp.Vjp(Shift(t), y, a, withTime);
        // ∂f/∂t is the same at t and t + offset; a 0-d t gets the sum over rows, as the contract asks.
        if (result.VjpT is not { } vjpT || vjpT.shape.SequenceEqual(t.shape)) return result;
        return result with { VjpT = vjpT.sum().reshape(t.shape) };
    }

    Tensor Shift(Tensor t) => TimeOffsets is { } offsets ? t + offsets : t;
}
