using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Batched simplified Newton iteration for one ESDIRK stage <c>k = f(t, ψ + γh·k)</c>, with RADAU5's convergence
/// control (<see cref="NewtonControl"/>; Hairer &amp; Wanner, Solving ODEs II, §IV.8). One instance per solve: it carries
/// η from stage to stage.
/// </summary>
internal sealed class SimplifiedNewton(SolverOptions options, ScalarType dtype)
{
    /// <summary>Iterations before a stage counts as failed (diffrax's Kvaerno default; RADAU5 uses 7).</summary>
    public const int MaxIterations = 10;

    readonly NewtonControl _control = new(options, dtype, MaxIterations);

    /// <summary>Iterations of the last solve.</summary>
    public int Iterations { get; private set; }

    /// <summary>Largest contraction rate of the last solve (0 after a single iteration).</summary>
    public double Rate => _control.Rate;

    /// <summary>
    /// Solves stage <c>k = f(t, z)</c>, <c>z = ψ + γh·k</c>, from the start value <paramref name="k"/>.
    /// Returns the converged <c>(k, z)</c> (<c>z</c> computed from <c>k</c>, so the two are consistent, which keeps
    /// Newton error out of stiff components: Hairer &amp; Wanner IV.8, eq. 8.2a remark), or null when the iteration
    /// diverges, would not converge within <see cref="MaxIterations"/>, or a matrix-free linear solve fails. One device sync per iteration (the norm).
    /// </summary>
    public (Tensor K, Tensor Z)? Solve(IOdeSystem f, Tensor t, StepPoint step, Tensor psi, Tensor k, double gamma,
        INewtonMatrix matrix, Tolerances tolerances, SolveCounters counters, bool freshMatrix = true)
    {
        var z = step.AddScaled(psi, k, gamma);
        _control.Start(trustPreviousRate: freshMatrix);
        for (int m = 0; m < MaxIterations; m++)
        {
            using var scope = NewDisposeScope();
            // M Δk = f(z) − k, the Newton correction for G(k) = k − f(t, ψ + γh·k) with ∂G/∂k ≈ I − γhJ.
            // An iterative linear solve that misses its tolerance fails the iteration like divergence does.
            if (matrix.Solve(counters.Rates(f, t, z).sub(k)) is not { } dk) return null;
            var verdict = _control.Judge(m, ScaledNorm(step.Scale(dk, gamma), z, tolerances));
            if (verdict == NewtonVerdict.Failed) return null;
            k = k.add(dk, ScalarOps.One).MoveToOuterDisposeScope();
            z = step.AddScaled(psi, k, gamma).MoveToOuterDisposeScope();
            if (verdict == NewtonVerdict.Converged)
            {
                Iterations = m + 1;
                return (k, z);
            }
        }
        return null;
    }

    /// <summary>Largest per-row RMS of <c>dz / (atol + rtol·|z|)</c>. Sync: one scalar.</summary>
    static double ScaledNorm(Tensor dz, Tensor z, Tolerances tolerances)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        return ScalarOps.Square(dz.detach().div(tolerances.Scale(z.detach()))).mean([1L]).sqrt().max().ToDouble();
    }
}
