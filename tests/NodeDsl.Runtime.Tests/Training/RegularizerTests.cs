using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

public class RegularizerTests
{
    [Fact]
    public void KineticEnergyEqualsQuadratureOfTheExactSolution()
    {
        using var scope = NewDisposeScope();
        const double end = 5.0, x0 = 0.6, y0 = 0.3;
        var model = new LinearRates(LinearData.TrueA);
        using var probe = tensor(new double[] { 1, -1 }, [1, 2]);
        var system = new RegularizedSystem(model, 2, probe);
        var initial = system.Augment(tensor(new[] { x0, y0 }, [1, 2]));
        var ts = tensor(new[] { 0.0, end });
        var solution = Ode.Solve(system, initial, ts, NodeDsl.Runtime.Solvers.Dopri5,
            new SolverOptions { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-13 });
        var last = solution.Ys[1, 0].data<double>().ToArray();

        // Composite Simpson over the exact solution of ‖A z(t)‖²; with 2000 intervals its error is ~1e-14.
        const int intervals = 2000;
        double Integrand(double t)
        {
            var (x, y) = LinearData.Exact(t, x0, y0);
            double fx = -0.1 * x - y, fy = x - 0.1 * y;
            return fx * fx + fy * fy;
        }
        double h = end / intervals, sum = Integrand(0) + Integrand(end);
        for (int i = 1; i < intervals; i++) sum += (i % 2 == 1 ? 4 : 2) * Integrand(i * h);
        double quadrature = sum * h / 3;
        Assert.Equal(1.01 * (x0 * x0 + y0 * y0) * (1 - Math.Exp(-0.2 * end)) / 0.2, quadrature, 12);   // closed form cross-check
        // Dopri5 at rtol 1e-11 integrates the accumulator to ~1e-10 relative.
        Assert.Equal(quadrature, last[2], 8);

        // For a linear field the probed Jacobian term is constant: ‖εᵀA‖² · T exactly, here ε = (1, −1).
        double ex = -0.1 * 1 + 1 * -1, ey = -1 * 1 + -0.1 * -1;   // εᵀA
        Assert.Equal((ex * ex + ey * ey) * end, last[3], 8);
        // The state part is untouched by the augmentation.
        var (xe, ye) = LinearData.Exact(end, x0, y0);
        Assert.Equal(xe, last[0], 9);
        Assert.Equal(ye, last[1], 9);
    }

    [Theory]
    [InlineData(ProbeDistribution.Rademacher)]
    [InlineData(ProbeDistribution.Gaussian)]
    public void HutchinsonEstimateOfTheJacobianFrobeniusNormIsUnbiased(ProbeDistribution distribution)
    {
        using var scope = NewDisposeScope();
        var a = new double[,] { { 0.5, -1.2, 0.3 }, { 2.0, 0.1, -0.7 }, { -0.4, 0.9, 1.5 } };
        var model = new LinearRates(a);
        const int rows = 20000;
        var probe = RegularizedSystem.SampleProbe(new SeededRandom(5), rows, 3, distribution, ScalarType.Float64, CPU);
        var system = new RegularizedSystem(model, 3, probe);
        var y = system.Augment(randn(rows, 3, ScalarType.Float64));
        var estimates = system.Rates(tensor(0.0, ScalarType.Float64), y).select(1, 4);
        double mean = estimates.mean().item<double>();

        // Exact ‖A‖²_F and the estimator's variance for M = A Aᵀ: Gaussian 2‖M‖²_F, Rademacher 2(‖M‖²_F − Σ M_ii²).
        double frobenius = a.Cast<double>().Sum(v => v * v);
        var m = new double[3, 3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) m[i, j] += a[i, k] * a[j, k];
        double mF = m.Cast<double>().Sum(v => v * v), diagonal = Enumerable.Range(0, 3).Sum(i => m[i, i] * m[i, i]);
        double variance = distribution == ProbeDistribution.Gaussian ? 2 * mF : 2 * (mF - diagonal);
        double standardError = Math.Sqrt(variance / rows);
        // Four standard errors: a fixed seed makes this deterministic, and a biased estimator (e.g. a missing
        // square or a wrong transpose, which change the mean by O(1)) would fail by far more.
        Assert.True(Math.Abs(mean - frobenius) < 4 * standardError, $"mean {mean}, exact {frobenius}, se {standardError}");
    }

    [Fact]
    public void RegularizedTrainingReportsTheTerm()
    {
        var data = LinearData.Dataset();
        var model = new LinearRates(new double[,] { { 0, 0 }, { 0, 0 } });
        var options = LinearTrainingTests.Options(epochs: 2, step: 10.0 / 39) with
        {
            Regularization = new Regularization { KineticEnergy = 0.01, JacobianFrobenius = 0.01 },
        };
        var result = new Trainer(model, options).Fit(data);
        Assert.All(result.History, m => Assert.True(m.Regularization > 0 && double.IsFinite(m.Loss)));
        Assert.All(model.Values(), v => Assert.True(double.IsFinite(v)));
    }
}
