using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// rtol/atol of one solve (scalars or per-component tensors on the state's device) and the error weights built
/// from them. Callers run these under no-grad: step control is not differentiated.
/// </summary>
internal sealed class Tolerances
{
    readonly double _rtol, _atol;
    readonly Tensor? _rtols, _atols;

    Tolerances(double rtol, double atol, Tensor? rtols, Tensor? atols) => (_rtol, _atol, _rtols, _atols) = (rtol, atol, rtols, atols);

    /// <summary>The tolerances of a solve with <paramref name="options"/> (its controller's, <see cref="StepControl"/>).</summary>
    public static Tolerances From(SolverOptions options, Tensor like) => From(StepControl.Tolerance(options), like);

    /// <summary><paramref name="tolerance"/> on <paramref name="like"/>'s device; per-component values become <c>[n]</c> tensors in the current dispose scope.</summary>
    public static Tolerances From(ErrorTolerance tolerance, Tensor like)
    {
        Tensor? Vector(double[]? v) => v is null ? null : torch.tensor(v, like.dtype, like.device);
        return new(tolerance.Relative, tolerance.Absolute, Vector(tolerance.RelativePerComponent), Vector(tolerance.AbsolutePerComponent));
    }

    /// <summary><c>atol + rtol·max(|y0|, |y1|)</c>, the weights of the step error norm (Hairer, Nørsett &amp; Wanner I, II.4).</summary>
    public Tensor Scale(Tensor y0, Tensor y1) => Weight(torch.maximum(y0.abs(), y1.abs()));

    /// <summary><c>atol + rtol·|y0|</c>, the weights of the initial-step heuristics.</summary>
    public Tensor Scale(Tensor y0) => Weight(y0.abs());

    Tensor Weight(Tensor magnitude)
    {
        // magnitude is a fresh no-grad temporary, so in-place is safe and saves allocations.
        // Explicit Scalars kept alive across the native calls (docs/notes/torchsharp-scalar-gc-race.md).
        Tensor scaled;
        if (_rtols is null)
        {
            using var rtol = _rtol.ToScalar();
            scaled = magnitude.mul_(rtol);
        }
        else scaled = magnitude.mul_(_rtols);
        if (_atols is not null) return scaled.add_(_atols, ScalarOps.One);
        using var atol = _atol.ToScalar();
        return scaled.add_(atol, ScalarOps.One);
    }
}
