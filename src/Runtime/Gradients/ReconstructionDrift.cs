using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The backsolve adjoint integrates y backwards from the last output time; at every earlier output time the forward pass
/// already knows y, so the distance between the two says whether the backward solve is still on the forward trajectory.
/// When it is not (y cannot be integrated backwards: stiff, strongly dissipative or chaotic dynamics, where an error grows
/// like <c>e^{|λ| Δt}</c>), the adjoint computed along it is wrong by the same amplification, silently.
/// </summary>
/// <remarks>
/// Drift at output time <c>t_i</c>: <c>‖ŷ − y‖∞ / (atol + rtol·‖y‖∞)</c> per batch row, the largest over the rows, in the
/// units in which the step-size controller keeps each step's local error below 1 (Hairer, Nørsett &amp; Wanner I, II.4).
/// The reconstruction carries the errors of both solves, so the unit uses the looser of the forward and backward
/// tolerances; a fixed-step solve has none and counts as <see cref="FixedStepTolerance"/>. On a stable interval both
/// global errors stay within a small multiple of the unit (tolerance proportionality; at most a few units over the gradient
/// test suite), so more than <see cref="Limit"/> units means the backward flow amplified its errors by about 10³ or more
/// over one output interval (<c>|λ| Δt ≳ 7</c>). One host sync per output time.
/// </remarks>
internal sealed class ReconstructionDrift(double rtol, double atol)
{
    /// <summary>Largest allowed drift, in units of <c>atol + rtol·|y|</c>.</summary>
    public const double Limit = 1000;

    /// <summary>The tolerance unit (relative and absolute) of a fixed-step solve, which has no tolerance of its own.</summary>
    public const double FixedStepTolerance = 1e-4;

    /// <summary>The check for a backsolve whose forward and backward solves ran with these solvers and options.</summary>
    public static ReconstructionDrift For(IOdeSolver forwardSolver, SolverOptions forward, IOdeSolver backwardSolver, SolverOptions backward)
    {
        var (fr, fa) = Tolerance(forwardSolver, forward);
        var (br, ba) = Tolerance(backwardSolver, backward);
        return new ReconstructionDrift(Math.Max(fr, br), Math.Max(fa, ba));
    }

    static (double Rtol, double Atol) Tolerance(IOdeSolver solver, SolverOptions options)
        => solver.IsAdaptive && StepControl.Tolerance(options) is var t
            ? (t.LargestRelative, t.LargestAbsolute)
            : (FixedStepTolerance, FixedStepTolerance);

    /// <summary>
    /// Throws an <see cref="AdjointDriftException"/> when <paramref name="reconstructed"/> (the backward solve's y at
    /// <paramref name="t"/>) drifted more than <see cref="Limit"/> from <paramref name="forward"/> (NaN counts as drifted).
    /// </summary>
    public void Check(Tensor reconstructed, Tensor forward, double t)
    {
        double drift = Measure(reconstructed, forward);
        if (!(drift <= Limit)) throw new AdjointDriftException(t, drift, Limit);
    }

    /// <summary>The drift of <paramref name="reconstructed"/> from <paramref name="forward"/> (both <c>[batch, n]</c>); one sync.</summary>
    public double Measure(Tensor reconstructed, Tensor forward)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var r = rtol.ToScalar();
        using var a = atol.ToScalar();
        // Per trajectory (row): the largest error over the largest magnitude. A component passing through zero has no scale
        // of its own; its error comes from the others through the coupling, so each row is measured against its own norm.
        var scale = forward.abs().amax(1).mul_(r).add_(a, ScalarOps.One);
        using var host = reconstructed.sub(forward).abs_().amax(1).div_(scale).max().to(ScalarType.Float64, CPU);
        return host.item<double>();
    }
}

/// <summary>
/// The backsolve adjoint's backward solve left the forward trajectory (<see cref="ReconstructionDrift"/>): its gradient
/// would be wrong. Use <see cref="GradientMethod.Checkpointed"/>, or set <see cref="AdjointOptions.FallbackToCheckpointed"/>.
/// </summary>
public sealed class AdjointDriftException(double t, double drift, double limit)
    : OdeSolverException(
        $"Backsolve adjoint: at t = {t:R} the backward solve's reconstruction of y is {drift:G3} tolerances (atol + rtol·|y|) " +
        $"away from the forward solution (limit {limit:G3}), so y cannot be integrated backwards here (stiff, strongly " +
        "dissipative or chaotic dynamics) and the gradient would be wrong. Use GradientMethod.Checkpointed(), which never integrates y " +
        "backwards, or set AdjointOptions.FallbackToCheckpointed = true to switch to it automatically when this happens.")
{
    /// <summary>The output time where the drift was found.</summary>
    public double Time { get; } = t;
    /// <summary>The drift there, in units of <c>atol + rtol·|y|</c> of the backward solve.</summary>
    public double Drift { get; } = drift;
}
