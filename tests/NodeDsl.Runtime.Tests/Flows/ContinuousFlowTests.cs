using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Flows;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Flows;

/// <summary>The CNF's divergence (exact and Hutchinson) and its change of variables, against autograd and closed forms.</summary>
public sealed class ContinuousFlowTests
{
    /// <summary>tr(∂f/∂z) per row by autograd: row i of the Jacobian is ∂(Σ_b f_bi)/∂z (rows are independent).</summary>
    static double[] AutogradTrace(OdeModel field, Tensor z)
    {
        using var scope = NewDisposeScope();
        var x = z.detach().requires_grad_(true);
        var f = field.Rates(tensor(0.0, ScalarType.Float64), x);
        var trace = zeros(z.shape[0], ScalarType.Float64);
        for (int i = 0; i < z.shape[1]; i++)
            trace += autograd.grad([f.select(1, i).sum()], [x], retain_graph: true)[0].select(1, i);
        return trace.data<double>().ToArray();
    }

    [Fact]
    public void ExactDivergenceIsTheTraceOfTheAutogradJacobianOnBothPaths()
    {
        using var scope = NewDisposeScope();
        var field = new MlpField(3, seed: 4);
        var z = randn([5, 3], ScalarType.Float64, generator: new Generator(1, CPU));
        var expected = AutogradTrace(field, z);
        var t = tensor(0.0, ScalarType.Float64);
        // Autograd path (the field is a plain model) and the analytic-VJP path (the field exposes IRatesVjp, grad off).
        var viaAutograd = new ContinuousFlow(field, 3, DivergenceMethod.Exact).Products(t, z).Divergence.data<double>().ToArray();
        double[] viaVjp;
        using (no_grad()) viaVjp = new ContinuousFlow(AutogradRatesVjp.For(field), 3, DivergenceMethod.Exact).Products(t, z).Divergence.data<double>().ToArray();
        for (int b = 0; b < 5; b++)
        {
            // Float64, the same products summed in another order: rounding only.
            Assert.Equal(expected[b], viaAutograd[b], 12);
            Assert.Equal(expected[b], viaVjp[b], 12);
        }
    }

    [Fact]
    public void HutchinsonIsUnbiasedWithinItsStandardError()
    {
        using var scope = NewDisposeScope();
        var field = new MlpField(3, seed: 5);
        const int probes = 20000;
        var point = randn([1, 3], ScalarType.Float64, generator: new Generator(2, CPU));
        double trace = AutogradTrace(field, point)[0];
        var z = point.expand(probes, 3);
        foreach (var distribution in new[] { ProbeDistribution.Rademacher, ProbeDistribution.Gaussian })
        {
            var probe = RegularizedSystem.SampleProbe(new SeededRandom(3), probes, 3, distribution, ScalarType.Float64, CPU);
            var estimates = new ContinuousFlow(field, 3, DivergenceMethod.Hutchinson, probe).Products(tensor(0.0, ScalarType.Float64), z).Divergence;
            double mean = estimates.mean().item<double>(), standardError = estimates.std().item<double>() / Math.Sqrt(probes);
            // CLT: the mean of 20 000 independent estimates is within 5 standard errors of tr J except with probability < 1e-6.
            Assert.True(Math.Abs(mean - trace) < 5 * standardError, $"{distribution}: mean {mean} vs trace {trace} (s.e. {standardError})");
            Assert.True(standardError > 0, "the estimates vary with ε");
        }
    }

    [Fact]
    public void LinearFlowLogDensityMatchesTheClosedForm()
    {
        using var scope = NewDisposeScope();
        const double a = -0.3, b = 1.2, end = 0.8;
        var flow = new ContinuousNormalizingFlow(new RotationScaling(a, b), new FlowSettings
        {
            EndTime = end, SolverOptions = new SolverOptions { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-12 },
        });
        double[] xs = [0.5, -1.0, 2.0, 0.3, -0.7, -1.5];
        var x = tensor(xs, [3, 2]);
        using var noGrad = no_grad();
        using var exact = flow.LogLikelihood(x, DivergenceMethod.Exact);
        // Rademacher probes: εᵀAε = 2a + (b − b) ε₁ε₂ = tr A exactly for this A, so Hutchinson is exact too.
        using var hutchinson = flow.LogLikelihood(x, DivergenceMethod.Hutchinson, new SeededRandom(9));
        var logp = exact.LogDensity.data<double>().ToArray();
        var logpH = hutchinson.LogDensity.data<double>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            // z(T) = e^{aT} R(bT) x, log p(x) = log N(z(T); 0, I) + T tr A.
            double s = Math.Exp(a * end), c = Math.Cos(b * end), n = Math.Sin(b * end);
            double z0 = s * (c * xs[2 * i] - n * xs[2 * i + 1]), z1 = s * (n * xs[2 * i] + c * xs[2 * i + 1]);
            double expected = -Math.Log(2 * Math.PI) - 0.5 * (z0 * z0 + z1 * z1) + end * 2 * a;
            // Dopri5 at rtol 1e-11 over a smooth linear flow: the solution is accurate to ~1e-10.
            Assert.Equal(expected, logp[i], 9);
            Assert.Equal(expected, logpH[i], 9);
        }
    }

    [Fact]
    public void DensityIntegratesToOneAndAgreesWithTheSamples()
    {
        using var scope = NewDisposeScope();
        var flow = new ContinuousNormalizingFlow(new MlpField(2, seed: 7, scale: 1.5), new FlowSettings
        {
            SolverOptions = new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-9 },
        });
        using var noGrad = no_grad();
        // Trapezoid over [−7, 7]² with spacing 0.1 (a smooth density, tails beyond 7 below 1e-9 for this mild flow).
        const int n = 141;
        const double h = 0.1, lo = -7;
        var axis = Enumerable.Range(0, n).Select(i => lo + i * h).ToArray();
        var grid = tensor(axis.SelectMany(gx => axis.SelectMany(gy => new[] { gx, gy })).ToArray(), [n * n, 2]);
        using var likelihood = flow.LogLikelihood(grid, DivergenceMethod.Exact);
        var density = likelihood.LogDensity.exp().data<double>().ToArray();
        double mass = 0, meanX = 0, meanY = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double w = h * h * (i is 0 or n - 1 ? 0.5 : 1) * (j is 0 or n - 1 ? 0.5 : 1);
                double p = density[i * n + j];
                (mass, meanX, meanY) = (mass + w * p, meanX + w * p * axis[i], meanY + w * p * axis[j]);
            }
        // Quadrature error of the trapezoid at h = 0.1 on a unit-scale Gaussian-like density: ~1e-6; the solves add ~1e-7.
        Assert.Equal(1.0, mass, 4);

        // Samples (base → data by the backward solve) have the density's mean, within 5 standard errors.
        const int count = 20000;
        var samples = flow.Sample(count, new Generator(11, CPU));
        var sampleMean = samples.mean([0]).data<double>().ToArray();
        var standardError = samples.std([0]).data<double>().Select(s => s / Math.Sqrt(count)).ToArray();
        Assert.True(Math.Abs(sampleMean[0] - meanX) < 5 * standardError[0], $"x: samples {sampleMean[0]} vs density {meanX} (s.e. {standardError[0]})");
        Assert.True(Math.Abs(sampleMean[1] - meanY) < 5 * standardError[1], $"y: samples {sampleMean[1]} vs density {meanY} (s.e. {standardError[1]})");
        // The flow is non-trivial: its mean is away from the base's 0 by more than the test's resolution.
        Assert.True(Math.Abs(meanX) + Math.Abs(meanY) > 20 * standardError.Max(), $"mean ({meanX}, {meanY})");

        // Round trip: data → base → data returns the points (solver tolerance).
        var back = flow.Transport(flow.Transport(samples.narrow(0, 0, 50), fromBase: false), fromBase: true);
        Assert.True(allclose(back, samples.narrow(0, 0, 50), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void TrainingGradientsAgreeBetweenAdjointAndDirectAndRegularizersAccumulate()
    {
        using var scope = NewDisposeScope();
        var field = new MlpField(2, seed: 8);
        var x = randn([6, 2], ScalarType.Float64, generator: new Generator(4, CPU));
        var tight = new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 };
        double[] Gradient(GradientMethod method)
        {
            field.zero_grad();
            var flow = new ContinuousNormalizingFlow(field, new FlowSettings { SolverOptions = tight, Gradient = method });
            using var likelihood = flow.LogLikelihood(x, DivergenceMethod.Hutchinson, new SeededRandom(5), trackRegularizers: true);
            Assert.True(likelihood.Kinetic!.min().item<double>() > 0 && likelihood.Jacobian!.min().item<double>() > 0);
            likelihood.Loss(new Regularization { KineticEnergy = 0.1, JacobianFrobenius = 0.1 }).backward();
            return field.parameters().SelectMany(p => p.grad!.data<double>().ToArray()).ToArray();
        }
        var direct = Gradient(GradientMethod.Direct);
        var adjoint = Gradient(GradientMethod.Backsolve(new AdjointOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 }));
        // Same probe (same seed), both differentiate the divergence through autograd; at tolerance 1e-10 they agree to ~1e-7.
        Assert.Contains(direct, g => g != 0);
        for (int i = 0; i < direct.Length; i++) Assert.Equal(direct[i], adjoint[i], 6);
    }

    [Fact]
    public void MisuseIsRejectedWithItsRemedy()
    {
        var field = new MlpField(2, seed: 1);
        Assert.Contains("probe", Assert.Throws<ArgumentException>(() => new ContinuousFlow(field, 2, DivergenceMethod.Hutchinson)).Message);
        var flow = new ContinuousNormalizingFlow(field);
        using var x = zeros(3, 2, ScalarType.Float64);
        Assert.Contains("SeededRandom", Assert.Throws<ArgumentException>(() => flow.LogLikelihood(x, DivergenceMethod.Hutchinson)).Message);
        using var wrong = zeros(3, 3, ScalarType.Float64);
        Assert.Contains("[batch, 2]", Assert.Throws<ArgumentException>(() => flow.LogLikelihood(wrong, DivergenceMethod.Exact)).Message);
    }
}
