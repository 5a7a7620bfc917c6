using NodeDsl.Runtime.Probability;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Probability;

/// <summary>The Gaussian formulas against values computed by hand in doubles.</summary>
public sealed class DiagonalGaussianTests
{
    static double[] Values(Tensor t) => t.to(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void LogDensityMatchesTheFormula()
    {
        using var scope = NewDisposeScope();
        double[] x = [0.3, -1.2, 2.0], mu = [0.0, 0.5, 2.5], logVar = [0.0, -0.7, 1.1];
        var result = Values(DiagonalGaussian.LogDensity(tensor(x), tensor(mu), tensor(logVar)));
        for (int i = 0; i < x.Length; i++)
        {
            double variance = Math.Exp(logVar[i]);
            double expected = -0.5 * Math.Log(2 * Math.PI * variance) - (x[i] - mu[i]) * (x[i] - mu[i]) / (2 * variance);
            // Float64 throughout: only rounding separates the two forms.
            Assert.Equal(expected, result[i], 13);
        }
        // The fixed-σ overload is the same density with log σ² = 2 log σ.
        var fixedStd = Values(DiagonalGaussian.LogDensity(tensor(x), tensor(mu), 0.3));
        var viaLogVar = Values(DiagonalGaussian.LogDensity(tensor(x), tensor(mu), full(3, 2 * Math.Log(0.3), ScalarType.Float64)));
        for (int i = 0; i < x.Length; i++) Assert.Equal(viaLogVar[i], fixedStd[i], 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => DiagonalGaussian.LogDensity(tensor(x), tensor(mu), 0.0));
    }

    [Fact]
    public void StandardLogDensitySumsOverTheLastDimension()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5, -1.0, 2.0, 0.0 }, [2, 2]);
        var result = Values(DiagonalGaussian.StandardLogDensity(x));
        Assert.Equal(-Math.Log(2 * Math.PI) - 0.5 * (0.25 + 1.0), result[0], 13);
        Assert.Equal(-Math.Log(2 * Math.PI) - 0.5 * 4.0, result[1], 13);
    }

    [Fact]
    public void KlMatchesTheClosedFormOfTwoGaussians()
    {
        using var scope = NewDisposeScope();
        double[] m1 = [0.2, -1.0], lv1 = [0.3, -2.0], m2 = [1.0, 0.5], lv2 = [-0.4, 0.8];
        var result = Values(DiagonalGaussian.KlDivergence(tensor(m1), tensor(lv1), tensor(m2), tensor(lv2)));
        for (int i = 0; i < m1.Length; i++)
        {
            double s1 = Math.Exp(0.5 * lv1[i]), s2 = Math.Exp(0.5 * lv2[i]);
            // KL(N(μ₁,σ₁²) ‖ N(μ₂,σ₂²)) = log(σ₂/σ₁) + (σ₁² + (μ₁−μ₂)²)/(2σ₂²) − ½.
            double expected = Math.Log(s2 / s1) + (s1 * s1 + (m1[i] - m2[i]) * (m1[i] - m2[i])) / (2 * s2 * s2) - 0.5;
            Assert.Equal(expected, result[i], 13);
        }
        var toStandard = Values(DiagonalGaussian.KlToStandardNormal(tensor(m1), tensor(lv1)));
        var general = Values(DiagonalGaussian.KlDivergence(tensor(m1), tensor(lv1), zeros(2, ScalarType.Float64), zeros(2, ScalarType.Float64)));
        for (int i = 0; i < m1.Length; i++) Assert.Equal(general[i], toStandard[i], 14);
        // KL(q ‖ q) = 0.
        Assert.All(Values(DiagonalGaussian.KlDivergence(tensor(m1), tensor(lv1), tensor(m1), tensor(lv1))), v => Assert.Equal(0.0, v, 15));
    }

    [Fact]
    public void SampleIsMeanPlusScaledNoiseAndDifferentiable()
    {
        using var scope = NewDisposeScope();
        var mean = tensor(new[] { 1.0, -2.0, 0.5 }).requires_grad_(true);
        var logVar = tensor(new[] { 0.0, 1.0, -3.0 }).requires_grad_(true);
        using var g1 = new Generator(42, CPU);
        using var g2 = new Generator(42, CPU);
        var sample = DiagonalGaussian.Sample(mean, logVar, g1);
        var epsilon = Values(randn([3], ScalarType.Float64, generator: g2));
        var s = Values(sample);
        double[] m = [1.0, -2.0, 0.5], lv = [0.0, 1.0, -3.0];
        for (int i = 0; i < 3; i++) Assert.Equal(m[i] + Math.Exp(0.5 * lv[i]) * epsilon[i], s[i], 14);
        // Reparameterisation: ∂z/∂μ = 1, ∂z/∂log σ² = ½ σ ε.
        sample.sum().backward();
        Assert.All(Values(mean.grad!), v => Assert.Equal(1.0, v, 15));
        var gradLogVar = Values(logVar.grad!);
        for (int i = 0; i < 3; i++) Assert.Equal(0.5 * Math.Exp(0.5 * lv[i]) * epsilon[i], gradLogVar[i], 14);
    }
}
