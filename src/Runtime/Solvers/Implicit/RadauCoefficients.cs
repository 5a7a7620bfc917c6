using System.Numerics;

namespace NodeDsl.Runtime;

/// <summary>
/// The coefficients of a three-stage Radau IIA collocation method, with what its implementation needs: the
/// real/complex eigen-decomposition of <c>A⁻¹</c> that splits the <c>3n</c> stage equations into one real and one
/// complex <c>n×n</c> system (Hairer &amp; Wanner, Solving ODEs II, §IV.8), the error-estimate weights and the
/// collocation polynomial. Everything derived is computed from <c>A</c> and <c>c</c> and checked on construction.
/// </summary>
/// <remarks>
/// <para>Stage equations for <c>Zᵢ = Yᵢ − y0</c>: <c>Z = h (A ⊗ I) F(Z)</c>. With <c>A⁻¹ = T Λ T⁻¹</c>,
/// <c>Λ = [[γ, 0, 0], [0, α, −β], [0, β, α]]</c> and <c>W = (T⁻¹ ⊗ I) Z</c>, a simplified Newton step is
/// <c>(γI − hJ) ΔW₁ = r₁</c> and <c>((α + iβ)I − hJ)(ΔW₂ + iΔW₃) = r₂ + i r₃</c>, <c>r = h (T⁻¹ ⊗ I) F − (Λ ⊗ I) W</c>.</para>
/// <para>Error estimate (RADAU5, Hairer &amp; Wanner IV.8, eq. 8.19–8.20): <c>err = (γI − hJ)⁻¹ (h f(y0) + Σ eᵢ Zᵢ)</c>,
/// where <c>h f0 + Σ eᵢ Zᵢ</c> vanishes for cubic solutions (checked: <c>Σ eᵢ cᵢ = −1</c>, <c>Σ eᵢ cᵢ² = Σ eᵢ cᵢ³ = 0</c>).</para>
/// </remarks>
public sealed class RadauCoefficients
{
    const double Tolerance = 1e-13;

    /// <summary>Creates the coefficients and checks them.</summary>
    /// <param name="a">The 3×3 Runge–Kutta matrix, row-major.</param>
    /// <param name="c">The nodes; <c>c[2] = 1</c> (stiffly accurate: <c>y1</c> is the last stage).</param>
    /// <param name="errorWeights">The weights <c>e</c> of the embedded error estimate.</param>
    /// <exception cref="ArgumentException">A check fails; the message names it.</exception>
    public RadauCoefficients(double[,] a, double[] c, double[] errorWeights)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(errorWeights);
        if (a.GetLength(0) != 3 || a.GetLength(1) != 3 || c.Length != 3 || errorWeights.Length != 3)
            throw new ArgumentException("A three-stage method needs a 3×3 matrix, three nodes and three error weights.");
        for (int i = 0; i < 3; i++) Check(a[i, 0] + a[i, 1] + a[i, 2], c[i], $"row {i} of A must sum to c[{i}]");
        Check(c[2], 1, "c[2] must be 1 (stiffly accurate)");
        for (int k = 1; k <= 3; k++)
            Check(Enumerable.Range(0, 3).Sum(i => errorWeights[i] * Math.Pow(c[i], k)), k == 1 ? -1 : 0,
                $"Σ eᵢ cᵢ^{k} must be {(k == 1 ? -1 : 0)} for an O(h⁴) error estimate");

        var inverse = Inverse(a);
        // A⁻¹ has one real eigenvalue γ and a complex pair α ± iβ (Hairer & Wanner IV.8).
        var eigenvalues = EigenvaluesOf3x3(inverse);
        var real = eigenvalues.OrderBy(z => Math.Abs(z.Imaginary)).First();
        var pair = eigenvalues.Where(z => z.Imaginary > 0).OrderByDescending(z => z.Imaginary).First();
        (Gamma, Alpha, Beta) = (real.Real, pair.Real, pair.Imaginary);
        // Columns of T: the real eigenvector v0, and u, w with u − iw the eigenvector of α + iβ, scaled so that the last
        // components are 1 and 0 (as in RADAU5), so A⁻¹T = TΛ.
        var v0 = NullVector(inverse, Gamma);
        var v = NullVector(inverse, pair);
        var t = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            t[i, 0] = (v0[i] / v0[2]).Real;
            var vi = v[i] / v[2];
            (t[i, 1], t[i, 2]) = (vi.Real, -vi.Imaginary);
        }
        var lambda = new[,] { { Gamma, 0, 0 }, { 0, Alpha, -Beta }, { 0, Beta, Alpha } };
        var lhs = Multiply(inverse, t);
        var rhs = Multiply(t, lambda);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Check(lhs[i, j], rhs[i, j], $"A⁻¹T = TΛ at ({i}, {j})", scale: 10);
        var tInverse = Inverse(t);

        // Collocation polynomial u(θ) = Σ_p θ^(p+1) Σ_i Dense[i, p] Zᵢ with u(cᵢ) = Zᵢ: the inverse of V[k, p] = c_k^(p+1).
        var vandermonde = new double[3, 3];
        for (int k = 0; k < 3; k++)
            for (int p = 0; p < 3; p++)
                vandermonde[k, p] = Math.Pow(c[k], p + 1);
        var powers = Inverse(vandermonde);

        A = a.Clone() as double[,] ?? throw new InvalidOperationException();
        C = (double[])c.Clone();
        ErrorWeights = (double[])errorWeights.Clone();
        T = t;
        TInverse = tInverse;
        // Dense[i, p]: coefficient of θ^(p+1) for stage i, from u(θ) = Σ_i Z_i Σ_p powers[p, i] θ^(p+1).
        Dense = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int p = 0; p < 3; p++)
                Dense[i, p] = powers[p, i];
    }

    /// <summary>Runge–Kutta matrix (row-major).</summary>
    public double[,] A { get; }
    /// <summary>Nodes.</summary>
    public IReadOnlyList<double> C { get; }
    /// <summary>Real eigenvalue γ of <c>A⁻¹</c>.</summary>
    public double Gamma { get; }
    /// <summary>Real part α of the complex eigenvalues of <c>A⁻¹</c>.</summary>
    public double Alpha { get; }
    /// <summary>Imaginary part β &gt; 0 of the complex eigenvalues of <c>A⁻¹</c>.</summary>
    public double Beta { get; }
    /// <summary>The transformation with <c>A⁻¹ = T Λ T⁻¹</c> (row-major).</summary>
    public double[,] T { get; }
    /// <summary><c>T⁻¹</c> (row-major).</summary>
    public double[,] TInverse { get; }
    /// <summary>Weights <c>e</c> of the error estimate <c>h f0 + Σ eᵢ Zᵢ</c>.</summary>
    public IReadOnlyList<double> ErrorWeights { get; }
    /// <summary>Collocation polynomial: <c>Dense[i, p]</c> is the coefficient of <c>θ^(p+1)</c> that multiplies <c>Zᵢ</c>.</summary>
    public double[,] Dense { get; }

    /// <summary>The weights <c>ℓᵢ(θ) = Σ_p Dense[i, p] θ^(p+1)</c> of the collocation polynomial at <paramref name="theta"/>.</summary>
    public double[] DenseWeights(double theta)
    {
        var w = new double[3];
        for (int i = 0; i < 3; i++)
            w[i] = theta * (Dense[i, 0] + theta * (Dense[i, 1] + theta * Dense[i, 2]));
        return w;
    }

    static void Check(double actual, double expected, string what, double scale = 1)
    {
        if (!(Math.Abs(actual - expected) <= Tolerance * scale * Math.Max(1, Math.Abs(expected))))
            throw new ArgumentException($"Invalid Radau coefficients: {what} (got {actual:R}, expected {expected:R}).");
    }

    static double[,] Multiply(double[,] x, double[,] y)
    {
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    r[i, j] += x[i, k] * y[k, j];
        return r;
    }

    /// <summary>3×3 inverse by the adjugate (well-conditioned small matrices only).</summary>
    internal static double[,] Inverse(double[,] m)
    {
        double det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
                   - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
                   + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        if (det == 0) throw new ArgumentException("Invalid Radau coefficients: a matrix that must be invertible is singular.");
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                // Cofactor of (j, i) over the determinant.
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                r[i, j] = (m[r0, c0] * m[r1, c1] - m[r0, c1] * m[r1, c0]) / det;
            }
        return r;
    }

    /// <summary>Roots of the characteristic polynomial λ³ − tr λ² + m λ − det (Cardano, then one Newton polish each).</summary>
    static Complex[] EigenvaluesOf3x3(double[,] m)
    {
        double tr = m[0, 0] + m[1, 1] + m[2, 2];
        double minors = m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0] + m[0, 0] * m[2, 2] - m[0, 2] * m[2, 0] + m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1];
        double det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
                   + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        Complex P(Complex x) => ((x - tr) * x + minors) * x - det;
        Complex dP(Complex x) => (3 * x - 2 * tr) * x + minors;
        // Depressed cubic x = y + tr/3: y³ + p y + q = 0.
        double s = tr / 3, p = minors - tr * tr / 3, q = -det + tr * minors / 3 - 2 * tr * tr * tr / 27;
        var d = Complex.Sqrt(q * q / 4 + p * p * p / 27);
        var u = Complex.Pow(-q / 2 + d, 1.0 / 3);
        var roots = new Complex[3];
        var omega = new Complex(-0.5, Math.Sqrt(3) / 2);
        for (int k = 0; k < 3; k++)
        {
            var uk = u * Complex.Pow(omega, k);
            var x = uk - p / (3 * uk) + s;
            for (int it = 0; it < 3; it++) x -= P(x) / dP(x);
            roots[k] = x;
        }
        return roots;
    }

    /// <summary>A null vector of <c>M − λI</c> (rank 2): the cross product of the two rows whose cross product is largest.</summary>
    static Complex[] NullVector(double[,] m, Complex lambda)
    {
        var rows = new Complex[3][];
        for (int i = 0; i < 3; i++) rows[i] = [m[i, 0] - (i == 0 ? lambda : 0), m[i, 1] - (i == 1 ? lambda : 0), m[i, 2] - (i == 2 ? lambda : 0)];
        Complex[] best = [];
        double bestNorm = -1;
        foreach (var (x, y) in new[] { (0, 1), (0, 2), (1, 2) })
        {
            var r = rows[x];
            var q = rows[y];
            Complex[] cross = [r[1] * q[2] - r[2] * q[1], r[2] * q[0] - r[0] * q[2], r[0] * q[1] - r[1] * q[0]];
            double norm = cross.Sum(z => z.Magnitude);
            if (norm > bestNorm) (best, bestNorm) = (cross, norm);
        }
        return best;
    }
}
