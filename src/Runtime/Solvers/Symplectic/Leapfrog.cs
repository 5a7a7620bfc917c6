using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Leapfrog / Störmer–Verlet in kick–drift–kick form, order 2, fixed step, for Hamiltonian systems
/// <c>q' = ∂H/∂p, p' = −∂H/∂q</c> (Hairer, Lubich &amp; Wanner, Geometric Numerical Integration, §I.1.4 and §VI.3).
/// Symplectic and time-reversible when <c>H = T(p) + V(q)</c> is separable.
/// </summary>
/// <remarks>
/// <para>With <c>a = q'</c>, <c>b = p'</c> from the vector field and <c>(q0, p0)</c> split by <see cref="PhaseSpaceSplit"/>:</para>
/// <code>
/// p½ = p0 + h/2 · b(q0, p0)                      kick   (b from f0)
/// q1 = q0 + h   · a(q0 + h/2 · a(q0, p0), p½)    drift
/// p1 = p½ + h/2 · b(q1, p0 + h · b(q0, p0))      kick
/// </code>
/// <para>For separable H, a depends on p only and b on q only, so this is exactly Verlet's scheme. The q-argument of
/// the drift and the p-argument of the last kick are chosen so that the step stays second-order accurate for any
/// vector field: for a non-separable H (an HNN's learned energy) the method is consistent of order 2 but neither
/// symplectic nor symmetric, and its energy error may drift; use <see cref="ImplicitMidpoint"/> there.</para>
/// <para>Cost: two evaluations of the field per step plus the one the driver makes at the step end (rates for the
/// next step's first kick and for the cubic Hermite dense output).</para>
/// </remarks>
public sealed class Leapfrog : OneStepMethod
{
    /// <inheritdoc />
    public override string Name => "leapfrog";

    /// <inheritdoc />
    public override int Order => 2;

    /// <inheritdoc />
    public override int? ErrorOrder => null;

    /// <inheritdoc />
    public override bool NeedsPhaseSpaceSplit => true;

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        ArgumentNullException.ThrowIfNull(step);
        var split = PhaseSpaceSplit.For(f, y0, Name);
        var (q0, p0) = (split.Q(y0), split.P(y0));
        var (a0, b0) = (split.Q(f0), split.P(f0));
        var pHalf = step.AddScaled(p0, b0, 0.5);
        var qMid = step.AddScaled(q0, a0, 0.5);
        var aMid = split.Q(counters.Rates(f, step.Time(0.5), split.Join(qMid, pHalf)));
        var q1 = step.AddScaled(q0, aMid, 1.0);
        var pPredicted = step.AddScaled(p0, b0, 1.0);
        var bEnd = split.P(counters.Rates(f, step.Time(1.0), split.Join(q1, pPredicted)));
        var p1 = step.AddScaled(pHalf, bEnd, 0.5);
        return new StepAttempt(split.Join(q1, p1));
    }
}
