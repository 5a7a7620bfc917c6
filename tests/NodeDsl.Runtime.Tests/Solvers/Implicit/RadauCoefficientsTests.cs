using System.Numerics;
using NodeDsl.Runtime.Tableaus;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// Radau IIA 5's coefficients against the conditions that define the method (Hairer &amp; Wanner II, §IV.5): collocation
/// (stage order 3), Radau quadrature (order 5), L-stability, and the derived transformation, error weights and dense
/// polynomial, independently of how they were computed.
/// </summary>
public class RadauCoefficientsTests
{
    // Closed forms evaluated in double: the conditions hold to a few ulps of the largest coefficient (|T⁻¹| ≈ 4).
    const double Tolerance = 1e-13;

    static RadauCoefficients Rc => RadauIIA5.Coefficients;

    [Fact]
    public void StagesAreCollocationAndWeightsAreRadauQuadrature()
    {
        var a = Rc.A;
        var c = Rc.C;
        // C(3): Σⱼ aᵢⱼ cⱼ^(k−1) = cᵢᵏ/k for k ≤ 3 (the stages are a collocation polynomial of degree 3).
        for (int i = 0; i < 3; i++)
            for (int k = 1; k <= 3; k++)
                Assert.True(Math.Abs(Enumerable.Range(0, 3).Sum(j => a[i, j] * Math.Pow(c[j], k - 1)) - Math.Pow(c[i], k) / k) < Tolerance, $"C({k}) fails in row {i}");
        // B(5): b = last row of A integrates polynomials of degree ≤ 4 exactly (order 2s − 1 = 5), but not degree 5.
        for (int k = 1; k <= 5; k++)
            Assert.True(Math.Abs(Enumerable.Range(0, 3).Sum(j => a[2, j] * Math.Pow(c[j], k - 1)) - 1.0 / k) < Tolerance, $"B({k}) fails");
        Assert.True(Math.Abs(Enumerable.Range(0, 3).Sum(j => a[2, j] * Math.Pow(c[j], 5)) - 1.0 / 6) > 1e-4);
    }

    [Fact]
    public void MethodIsLStableAndAStable()
    {
        // R(z) = 1 + z bᵀ(I − zA)⁻¹𝟙 → 0 as z → −∞ (L-stable); |R(iy)| ≤ 1 (A-stable).
        Assert.True(Complex.Abs(Stability(-1e8)) < 1e-6);
        foreach (double y in new[] { 0.1, 1, 10, 100, 1e4 })
            Assert.True(Complex.Abs(Stability(new Complex(0, y))) <= 1 + 1e-12, $"|R({y}i)| > 1");
        // Fifth order: R(z) agrees with eᶻ to O(z⁶).
        Assert.True(Complex.Abs(Stability(0.01) - Complex.Exp(0.01)) < 1e-12);
    }

    [Fact]
    public void TransformationDiagonalisesTheInverseIntoARealAndAComplexBlock()
    {
        // Known eigenvalues of A⁻¹ (Hairer & Wanner IV.8, eq. 8.17): γ = 3 + 3^(2/3) − 3^(1/3), α ± iβ.
        Assert.Equal(3 + Math.Cbrt(9) - Math.Cbrt(3), Rc.Gamma, 12);
        Assert.Equal(3 + 0.5 * (Math.Cbrt(3) - Math.Cbrt(9)), Rc.Alpha, 12);
        Assert.Equal(0.5 * (Math.Pow(3, 5.0 / 6) + Math.Pow(3, 7.0 / 6)), Rc.Beta, 12);
        // T⁻¹ A T = Λ⁻¹, so T⁻¹ A⁻¹ T = Λ: check T Λ T⁻¹ A = I.
        var lambda = new[,] { { Rc.Gamma, 0, 0 }, { 0, Rc.Alpha, -Rc.Beta }, { 0, Rc.Beta, Rc.Alpha } };
        var product = Multiply(Multiply(Multiply(Rc.T, lambda), Rc.TInverse), Rc.A);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.True(Math.Abs(product[i, j] - (i == j ? 1 : 0)) < 1e-12, $"TΛT⁻¹A ≠ I at ({i}, {j})");
    }

    [Fact]
    public void DensePolynomialInterpolatesTheStagesAndErrorWeightsCancelCubics()
    {
        for (int i = 0; i < 3; i++)
        {
            var w = Rc.DenseWeights(Rc.C[i]);
            for (int j = 0; j < 3; j++) Assert.True(Math.Abs(w[j] - (i == j ? 1 : 0)) < Tolerance, $"ℓ_{j}(c_{i})");
        }
        // h f0 + Σ eᵢZᵢ = 0 for y = t, t², t³ (Zᵢ = (cᵢh)ᵏ, h f0 = h for k = 1, else 0): Σ eᵢcᵢ = −1, Σ eᵢcᵢ² = Σ eᵢcᵢ³ = 0.
        for (int k = 1; k <= 3; k++)
            Assert.True(Math.Abs(Enumerable.Range(0, 3).Sum(i => Rc.ErrorWeights[i] * Math.Pow(Rc.C[i], k)) + (k == 1 ? 1 : 0)) < Tolerance);
        Assert.True(Math.Abs(Enumerable.Range(0, 3).Sum(i => Rc.ErrorWeights[i] * Math.Pow(Rc.C[i], 4))) > 1e-3, "the estimate would vanish for quartics");
    }

    [Fact]
    public void InconsistentCoefficientsAreRejectedWithTheFailingCondition()
    {
        var a = (double[,])Rc.A.Clone();
        a[1, 1] += 1e-3;
        var ex = Assert.Throws<ArgumentException>(() => new RadauCoefficients(a, [.. Rc.C], [.. Rc.ErrorWeights]));
        Assert.Contains("row 1 of A", ex.Message);
        var e = Rc.ErrorWeights.ToArray();
        e[0] += 1e-3;
        Assert.Contains("Σ eᵢ cᵢ", Assert.Throws<ArgumentException>(() => new RadauCoefficients(Rc.A, [.. Rc.C], e)).Message);
    }

    static Complex Stability(Complex z)
    {
        // Solve (I − zA) x = 𝟙 by Cramer's rule on the 3×3 complex system.
        var m = new Complex[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                m[i, j] = (i == j ? 1 : 0) - z * Rc.A[i, j];
        Complex Det(Complex[,] x) => x[0, 0] * (x[1, 1] * x[2, 2] - x[1, 2] * x[2, 1]) - x[0, 1] * (x[1, 0] * x[2, 2] - x[1, 2] * x[2, 0])
                                     + x[0, 2] * (x[1, 0] * x[2, 1] - x[1, 1] * x[2, 0]);
        var d = Det(m);
        Complex sum = 0;
        for (int k = 0; k < 3; k++)
        {
            var mk = (Complex[,])m.Clone();
            for (int i = 0; i < 3; i++) mk[i, k] = 1;
            sum += Rc.A[2, k] * Det(mk) / d;
        }
        return 1 + z * sum;
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
}

/// <summary>Rodas5P's coefficients pass the tableau's own checks, and a corrupted one is rejected with the failing condition.</summary>
public class RosenbrockTableauTests
{
    [Fact]
    public void Rodas5PIsConsistentAndACorruptedCopyIsRejected()
    {
        var tab = Tableaus.Rodas5P.Tableau;
        Assert.Equal(8, tab.Stages);
        Assert.Equal((5, 4), (tab.Order, tab.ErrorOrder));
        var a = (double[,])tab.A.Clone();
        a[3, 1] += 1e-6;
        var ex = Assert.Throws<ArgumentException>(() => new RosenbrockTableau(a, tab.C, tab.Gamma, [.. tab.Nodes], [.. tab.D], tab.Dense,
            [.. tab.B], [.. tab.ErrorWeights], 5, 4));
        Assert.Contains("stage 4", ex.Message);
        var d = tab.D.ToArray();
        d[2] += 1e-6;
        Assert.Contains("dᵢ", Assert.Throws<ArgumentException>(() => new RosenbrockTableau(tab.A, tab.C, tab.Gamma, [.. tab.Nodes], d, tab.Dense,
            [.. tab.B], [.. tab.ErrorWeights], 5, 4)).Message);
    }
}
