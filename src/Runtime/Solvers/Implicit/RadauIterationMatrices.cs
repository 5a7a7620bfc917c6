using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The two batched LU factorisations of a Radau IIA simplified Newton step: the real <c>γI − hJ</c> and the complex
/// <c>(α + iβ)I − hJ</c>, each <c>[batch, n, n]</c> (Hairer &amp; Wanner, Solving ODEs II, §IV.8). Solving the 3n stage
/// equations then costs one real and one complex <c>n×n</c> solve per row instead of one real <c>3n×3n</c> solve:
/// about 5n³/3 instead of 9n³ flops per factorisation.
/// </summary>
internal sealed class RadauIterationMatrices : IDisposable
{
    readonly Tensor _realLu, _realPivots, _complexLu, _complexPivots;

    RadauIterationMatrices(Tensor realLu, Tensor realPivots, Tensor complexLu, Tensor complexPivots)
        => (_realLu, _realPivots, _complexLu, _complexPivots) = (realLu, realPivots, complexLu, complexPivots);

    /// <summary>
    /// Factorises both matrices for the Jacobian <paramref name="jacobian"/> and the step of <paramref name="step"/>
    /// (counted as two factorisations). Returns null when a factor is not finite or a pivot is zero (J had NaN/Inf or a
    /// matrix is singular). One device sync for that check.
    /// </summary>
    public static RadauIterationMatrices? Factorize(Tensor jacobian, StepPoint step, RadauCoefficients coefficients, SolveCounters counters)
    {
        counters.Factorizations += 2;
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        long n = jacobian.shape[^1];
        var hj = step.IsPerTrajectory ? jacobian.mul(step.H.unsqueeze(-1)) : ScalarOps.Mul(jacobian, step.SharedStep);
        var identity = eye(n, dtype: jacobian.dtype, device: jacobian.device);
        var real = ScalarOps.Mul(identity, coefficients.Gamma).sub(hj);
        var complex = torch.complex(ScalarOps.Mul(identity, coefficients.Alpha).sub(hj), ScalarOps.Mul(identity, coefficients.Beta).expand_as(hj));
        if (!LuFactor.TryFactor(real, out var realLu, out var realPivots)) return null;
        if (!LuFactor.TryFactor(complex, out var complexLu, out var complexPivots)) return null;
        // Smallest |pivot| of both; adding 0·Σ|LU| turns any non-finite factor into NaN, so one scalar answers both checks.
        var smallest = torch.minimum(realLu.diagonal(dim1: -2, dim2: -1).abs().min(), complexLu.diagonal(dim1: -2, dim2: -1).abs().min())
            .add(ScalarOps.Mul(realLu.sum().add(torch.view_as_real(complexLu).sum(), ScalarOps.One), 0), ScalarOps.One);
        double pivot = smallest.to(ScalarType.Float64).item<double>();
        if (!(pivot > 0) || !double.IsFinite(pivot)) return null;
        return new RadauIterationMatrices(realLu.DetachFromDisposeScope(), realPivots.DetachFromDisposeScope(),
            complexLu.DetachFromDisposeScope(), complexPivots.DetachFromDisposeScope());
    }

    /// <summary>
    /// Solves the transformed stage system for <c>ΔW</c> (<c>[3, batch, n]</c>) from the residual <paramref name="r"/>
    /// (same shape): component 0 with the real matrix, components 1 and 2 as the real and imaginary part of one complex solve.
    /// </summary>
    public Tensor Solve(Tensor r)
    {
        var real = SolveReal(r[0]);
        var complex = linalg.lu_solve(_complexLu, _complexPivots, torch.complex(r[1], r[2]).unsqueeze(-1)).squeeze(-1);
        return torch.cat([real.unsqueeze(0), torch.view_as_real(complex).permute(2, 0, 1)], 0);
    }

    /// <summary>Solves <c>(γI − hJ) x = b</c> for every row; <c>b</c> is <c>[batch, n]</c>.</summary>
    public Tensor SolveReal(Tensor b) => linalg.lu_solve(_realLu, _realPivots, b.unsqueeze(-1)).squeeze(-1);

    /// <summary>Releases the factors.</summary>
    public void Dispose()
    {
        _realLu.Dispose();
        _realPivots.Dispose();
        _complexLu.Dispose();
        _complexPivots.Dispose();
    }
}
