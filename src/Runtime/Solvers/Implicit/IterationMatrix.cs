using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The LU factors of the simplified-Newton iteration matrices <c>M = I − γ·h·J</c>, one per batch row
/// (<c>[batch, n, n]</c>), factorised once per step and reused for every stage and iteration
/// (Hairer &amp; Wanner, Solving ODEs II, §IV.8).
/// </summary>
internal sealed class IterationMatrix : INewtonMatrix, IDisposable
{
    readonly Tensor _lu, _pivots;

    IterationMatrix(Tensor lu, Tensor pivots) => (_lu, _pivots) = (lu, pivots);

    /// <summary>
    /// Factorises <c>I − γ·h·J</c> (h shared, or <c>[batch, 1]</c> per row). Returns null when a factor is not finite
    /// (J had NaN/Inf, or M is singular), which the caller treats as a failed step. One device sync for that check.
    /// </summary>
    public static IterationMatrix? Factorize(Tensor jacobian, StepPoint step, double gamma, SolveCounters counters)
    {
        counters.Factorizations++;
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        long n = jacobian.shape[^1];
        var hj = step.IsPerTrajectory ? ScalarOps.Mul(jacobian.mul(step.H.unsqueeze(-1)), gamma) : ScalarOps.Mul(jacobian, gamma * step.SharedStep);
        var m = eye(n, dtype: jacobian.dtype, device: jacobian.device).sub(hj);
        if (!LuFactor.TryFactor(m, out var lu, out var pivots)) return null;
        // An exactly singular M gives a zero pivot, and NaN/Inf in J spread into the factors. Adding 0·Σ(LU) turns any
        // non-finite factor into NaN, so one scalar answers both. Sync: one scalar per step.
        double smallestPivot = lu.diagonal(dim1: -2, dim2: -1).abs().min().add(ScalarOps.Mul(lu.sum(), 0), ScalarOps.One).ToDouble();
        if (!(smallestPivot > 0) || !double.IsFinite(smallestPivot)) return null;
        return new IterationMatrix(lu.DetachFromDisposeScope(), pivots.DetachFromDisposeScope());
    }

    /// <summary>Solves <c>M x = r</c> for every row; <c>r</c> is <c>[batch, n]</c> and may carry autograd history.</summary>
    public Tensor Solve(Tensor r)
    {
        using var scope = NewDisposeScope();
        return linalg.lu_solve(_lu, _pivots, r.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the factors.</summary>
    public void Dispose()
    {
        _lu.Dispose();
        _pivots.Dispose();
    }
}
