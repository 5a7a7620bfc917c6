using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Batched simplified Newton iteration for one ESDIRK stage <c>k = f(t, ψ + γh·k)</c>, with the convergence
/// control of Hairer &amp; Wanner, Solving ODEs II, §IV.8 (as in RADAU5): stop when <c>η‖Δz‖ ≤ κ</c> with
/// <c>η = θ/(1 − θ)</c>, θ the contraction rate, ‖·‖ the RMS norm scaled by <c>atol + rtol·|z|</c>.
/// One instance per solve: it carries η from stage to stage.
/// </summary>
internal sealed class SimplifiedNewton
{
    /// <summary>Iterations before a stage counts as failed (diffrax's Kvaerno default; RADAU5 uses 7).</summary>
    public const int MaxIterations = 10;

    readonly double _kappa, _roundoffFloor;
    double _eta = 1.0;

    public SimplifiedNewton(SolverOptions options, ScalarType dtype)
    {
        double u = RatesJacobian.UnitRoundoff(dtype);
        // RADAU5's fnewt = max(10u/rtol, min(0.03, √rtol)); rtol floored at 100u so pure-atol solves stay finite.
        double rtol = Math.Max(options.RelativeTolerances?.Min() ?? options.RelativeTolerance, 100 * u);
        _kappa = Math.Max(10 * u / rtol, Math.Min(0.03, Math.Sqrt(rtol)));
        // Increments below this are round-off in the scaled norm: no further progress is possible.
        _roundoffFloor = 10 * u / rtol;
    }

    /// <summary>
    /// Solves stage <c>k = f(t, z)</c>, <c>z = ψ + γh·k</c>, from the start value <paramref name="k"/>.
    /// Returns the converged <c>(k, z)</c> (<c>z</c> computed from <c>k</c>, so the two are consistent, which keeps
    /// Newton error out of stiff components: Hairer &amp; Wanner IV.8, eq. 8.2a remark), or null when the iteration
    /// diverges or would not converge within <see cref="MaxIterations"/>. One device sync per iteration (the norm).
    /// </summary>
    public (Tensor K, Tensor Z)? Solve(IOdeSystem f, Tensor t, StepPoint step, Tensor psi, Tensor k, double gamma,
        IterationMatrix matrix, Tolerances tolerances, SolveCounters counters)
    {
        var z = step.AddScaled(psi, k, gamma);
        double eta = Math.Pow(Math.Max(_eta, RatesJacobian.UnitRoundoff(psi.dtype)), 0.8);
        double previous = 0;
        for (int m = 0; m < MaxIterations; m++)
        {
            using var scope = NewDisposeScope();
            // M Δk = f(z) − k, the Newton correction for G(k) = k − f(t, ψ + γh·k) with ∂G/∂k ≈ I − γhJ.
            var dk = matrix.Solve(counters.Rates(f, t, z).sub(k));
            double dn = ScaledNorm(step.Scale(dk, gamma), z, tolerances);
            if (!double.IsFinite(dn)) return null;
            if (m > 0)
            {
                double theta = dn / previous;
                if (theta >= 0.99 && dn > _roundoffFloor) return null;
                // Hairer & Wanner IV.8 (8.14)-style prediction: give up early if the remaining iterations cannot reach κ.
                if (theta < 1)
                {
                    if (Math.Pow(theta, MaxIterations - 1 - m) / (1 - theta) * dn > _kappa) return null;
                    eta = theta / (1 - theta);
                }
            }
            k = k.add(dk).MoveToOuterDisposeScope();
            z = step.AddScaled(psi, k, gamma).MoveToOuterDisposeScope();
            if (dn == 0 || dn <= _roundoffFloor || eta * dn <= _kappa)
            {
                _eta = eta;
                return (k, z);
            }
            previous = dn;
        }
        return null;
    }

    /// <summary>Largest per-row RMS of <c>dz / (atol + rtol·|z|)</c>. Sync: one scalar.</summary>
    static double ScaledNorm(Tensor dz, Tensor z, Tolerances tolerances)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        return dz.detach().div(tolerances.Scale(z.detach())).square().mean([1L]).sqrt().max().ToDouble();
    }
}
