using System.Numerics;

namespace NodeDsl.Runtime;

/// <summary>
/// LU factorisation with partial pivoting and solves for small dense matrices on the host (row-major spans), real or
/// complex (Golub &amp; Van Loan, Matrix Computations, Alg. 3.4.1). For the host path of implicit methods, where a
/// few-by-few system costs less than one tensor op's dispatch.
/// </summary>
internal static class SmallLu
{
    /// <summary>Factorises the n×n matrix <paramref name="a"/> in place; false when a pivot is zero or not finite.</summary>
    public static bool Factor<T>(Span<T> a, Span<int> pivots, int n) where T : INumberBase<T>
    {
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = Magnitude(a[k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                double m = Magnitude(a[i * n + k]);
                if (m > best) (p, best) = (i, m);
            }
            if (!(best > 0) || !double.IsFinite(best)) return false;
            pivots[k] = p;
            if (p != k)
                for (int j = 0; j < n; j++) (a[k * n + j], a[p * n + j]) = (a[p * n + j], a[k * n + j]);
            var pivot = a[k * n + k];
            for (int i = k + 1; i < n; i++)
            {
                var l = a[i * n + k] / pivot;
                a[i * n + k] = l;
                if (T.IsZero(l)) continue;
                for (int j = k + 1; j < n; j++) a[i * n + j] -= l * a[k * n + j];
            }
        }
        return true;
    }

    /// <summary>Solves <c>A x = b</c> in place (<paramref name="x"/> holds b) with the factors of <see cref="Factor{T}"/>.</summary>
    public static void Solve<T>(ReadOnlySpan<T> lu, ReadOnlySpan<int> pivots, Span<T> x, int n) where T : INumberBase<T>
    {
        for (int k = 0; k < n; k++)
            if (pivots[k] != k) (x[k], x[pivots[k]]) = (x[pivots[k]], x[k]);
        for (int i = 1; i < n; i++)
        {
            var sum = x[i];
            for (int j = 0; j < i; j++) sum -= lu[i * n + j] * x[j];
            x[i] = sum;
        }
        for (int i = n - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (int j = i + 1; j < n; j++) sum -= lu[i * n + j] * x[j];
            x[i] = sum / lu[i * n + i];
        }
    }

    static double Magnitude<T>(T value) where T : INumberBase<T>
        => value is Complex c ? c.Magnitude : Math.Abs(double.CreateTruncating(value));
}
