namespace LotkaVolterraUde;

/// <summary>
/// Sequentially thresholded least squares (SINDy, Brunton et al. 2016) on the quadratic library xy, x², y² (the
/// linear terms are the UDE's known physics, so the residual library leaves them out): the step of
/// Rackauckas et al. (2020) that turns the UDE's learned terms into equations that extrapolate.
/// </summary>
public static class SparseRegression
{
    /// <summary>Names of the library terms, in coefficient order.</summary>
    public static readonly string[] Library = ["xy", "x²", "y²"];

    /// <summary>The library evaluated at (x, y).</summary>
    public static double[] Features(double x, double y) => [x * y, x * x, y * y];

    /// <summary>Coefficients c with target ≈ Σ c_k φ_k(x, y); terms with |c| below <paramref name="threshold"/> are dropped and the rest refitted.</summary>
    public static double[] Fit(double[] x, double[] y, double[] target, double threshold = 0.1)
    {
        var active = Enumerable.Repeat(true, Library.Length).ToArray();
        var c = new double[Library.Length];
        for (int round = 0; round < 10; round++)
        {
            c = LeastSquares(x, y, target, active);
            bool changed = false;
            for (int k = 0; k < c.Length; k++)
                if (active[k] && System.Math.Abs(c[k]) < threshold) { active[k] = false; c[k] = 0; changed = true; }
            if (!changed) break;
        }
        return c;
    }

    static double[] LeastSquares(double[] x, double[] y, double[] target, bool[] active)
    {
        var idx = Enumerable.Range(0, active.Length).Where(k => active[k]).ToArray();
        int m = idx.Length;
        var a = new double[m, m + 1];   // normal equations, augmented with the right-hand side
        for (int i = 0; i < x.Length; i++)
        {
            var phi = Features(x[i], y[i]);
            for (int r = 0; r < m; r++)
            {
                for (int s = 0; s < m; s++) a[r, s] += phi[idx[r]] * phi[idx[s]];
                a[r, m] += phi[idx[r]] * target[i];
            }
        }
        for (int p = 0; p < m; p++)   // Gaussian elimination with partial pivoting
        {
            int best = Enumerable.Range(p, m - p).MaxBy(r => System.Math.Abs(a[r, p]));
            for (int s = 0; s <= m; s++) (a[p, s], a[best, s]) = (a[best, s], a[p, s]);
            for (int r = 0; r < m; r++)
            {
                if (r == p || a[p, p] == 0) continue;
                double f = a[r, p] / a[p, p];
                for (int s = p; s <= m; s++) a[r, s] -= f * a[p, s];
            }
        }
        var c = new double[active.Length];
        for (int r = 0; r < m; r++) c[idx[r]] = a[r, r] == 0 ? 0 : a[r, m] / a[r, r];
        return c;
    }

    /// <summary>The recovered model x' = αx + c₀·φ, y' = −δy + c₁·φ integrated with RK4 (step 1e-3) to each of <paramref name="times"/>.</summary>
    public static double[,] Integrate(double[] prey, double[] predator, double[] times, double[] u0)
    {
        (double, double) F(double x, double y)
        {
            var phi = Features(x, y);
            double a = PredatorPreyUde.Alpha * x, b = -PredatorPreyUde.Delta * y;
            for (int k = 0; k < phi.Length; k++) { a += prey[k] * phi[k]; b += predator[k] * phi[k]; }
            return (a, b);
        }
        var result = new double[times.Length, 2];
        double t = times[0], u = u0[0], v = u0[1];
        (result[0, 0], result[0, 1]) = (u, v);
        for (int i = 1; i < times.Length; i++)
        {
            int steps = (int)System.Math.Ceiling((times[i] - t) / 1e-3);
            double h = (times[i] - t) / steps;
            for (int s = 0; s < steps; s++)
            {
                var (k1u, k1v) = F(u, v);
                var (k2u, k2v) = F(u + h / 2 * k1u, v + h / 2 * k1v);
                var (k3u, k3v) = F(u + h / 2 * k2u, v + h / 2 * k2v);
                var (k4u, k4v) = F(u + h * k3u, v + h * k3v);
                u += h / 6 * (k1u + 2 * k2u + 2 * k3u + k4u);
                v += h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
            }
            t = times[i];
            (result[i, 0], result[i, 1]) = (u, v);
        }
        return result;
    }
}
