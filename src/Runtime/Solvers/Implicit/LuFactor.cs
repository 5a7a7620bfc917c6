using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>LU factorisation of Newton iteration matrices that reports an exactly singular matrix instead of throwing.</summary>
internal static class LuFactor
{
    /// <summary>
    /// Factorises <paramref name="m"/> (<c>[batch, n, n]</c>, with pivoting). Returns false for an exactly singular matrix:
    /// libtorch's <c>lu_factor</c> checks LAPACK's info and throws then (TorchSharp has no <c>lu_factor_ex</c>), and the
    /// callers treat a singular iteration matrix as a failed step, like a zero or non-finite pivot.
    /// </summary>
    public static bool TryFactor(Tensor m, out Tensor lu, out Tensor pivots)
    {
        try
        {
            var (factors, maybePivots) = linalg.lu_factor(m, pivot: true);
            lu = factors;
            pivots = maybePivots ?? throw new InvalidOperationException("lu_factor with pivoting returned no pivots.");
            return true;
        }
        catch (ExternalException e) when (e.Message.Contains("lu_factor", StringComparison.Ordinal))
        {
            lu = pivots = null!;
            return false;
        }
    }
}
