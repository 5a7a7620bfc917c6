using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Gradients;

/// <summary>
/// The generated analytic VJP of every oracle model equals <c>torch.autograd.grad</c> of its <c>Rates</c>
/// (<see cref="AutogradRatesVjp"/>) at random points in float64: the rates, aᵀ∂f/∂y, every entry of aᵀ∂f/∂θ
/// (learnables, network weights, per-trajectory inputs) and aᵀ∂f/∂t.
/// </summary>
public class GeneratedVjpTests(ITestOutputHelper output)
{
    /// <summary>
    /// Both sides evaluate the same derivative formulas in float64 and differ only in rounding order (e.g. gᵀa for a
    /// weight gradient summed by another kernel, w·u^(w−1)·g multiplied in another order): a few ulps per operation,
    /// ~1e-15 of the tensor's largest entry for these small models. Errors are measured against the largest entry of the
    /// autograd tensor (entries near zero carry absolute, not relative, rounding). 1e-12 still catches any wrong term.
    /// </summary>
    const double Tolerance = 1e-12;
    const int Batch = 16;

    public static TheoryData<string, bool> Cases => new()
    {
        { nameof(Spiral), true }, { nameof(LotkaVolterraUde), true }, { nameof(ForcedOscillator), true },
        { nameof(ForcedOscillator), false }, { nameof(ParametrizedGrowth), true }, { nameof(AugmentedSpiral), true },
        { nameof(NeuralPendulum), true }, { nameof(KnownPendulum), true }, { nameof(CoupledOscillators), true },
        { nameof(ConvField), true }, { nameof(ExpressionCoverage), true }, { nameof(DrivenWell), true },
        { nameof(CustomPotentialPendulum), true }, { nameof(SpringChain), true }, { nameof(NeuralChain), true },
        { nameof(DrivenOscillator), true }, { nameof(SecondOrderNode), true },
    };

    internal static OdeModel Create(string name, int seed) => name switch
    {
        nameof(Spiral) => new Spiral(ModelOptions.Float64(seed)),
        nameof(LotkaVolterraUde) => new LotkaVolterraUde(ModelOptions.Float64(seed)),
        nameof(ForcedOscillator) => new ForcedOscillator(ModelOptions.Float64(seed)),
        nameof(ParametrizedGrowth) => new ParametrizedGrowth(ModelOptions.Float64(seed)),
        nameof(AugmentedSpiral) => new AugmentedSpiral(ModelOptions.Float64(seed)),
        nameof(SmoothAugmentedSpiral) => new SmoothAugmentedSpiral(ModelOptions.Float64(seed)),
        nameof(NeuralPendulum) => new NeuralPendulum(ModelOptions.Float64(seed)),
        nameof(KnownPendulum) => new KnownPendulum(ModelOptions.Float64(seed)),
        nameof(CoupledOscillators) => new CoupledOscillators(ModelOptions.Float64(seed)),
        nameof(ConvField) => new ConvField(ModelOptions.Float64(seed)),
        nameof(ExpressionCoverage) => new ExpressionCoverage(ModelOptions.Float64(seed)),
        nameof(DrivenWell) => new DrivenWell(ModelOptions.Float64(seed)),
        nameof(CustomPotentialPendulum) => new CustomPotentialPendulum(ModelOptions.Float64(seed)),
        nameof(SpringChain) => new SpringChain(ModelOptions.Float64(seed)),
        nameof(NeuralChain) => new NeuralChain(ModelOptions.Float64(seed)),
        nameof(DrivenOscillator) => new DrivenOscillator(ModelOptions.Float64(seed)),
        nameof(SecondOrderNode) => new SecondOrderNode(ModelOptions.Float64(seed)),
        nameof(LagrangianPendulum) => new LagrangianPendulum(ModelOptions.Float64(seed)),
        nameof(NeuralLagrangian) => new NeuralLagrangian(ModelOptions.Float64(seed)),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsAutogradOfTheRates(string name, bool perRowTime)
    {
        var model = Create(name, 3);
        var worst = Compare(model, perRowTime, sharedInputRow: false, seed: 41);
        output.WriteLine($"{name} (per-row time: {perRowTime}): worst relative error {worst:E2}");
        Assert.True(worst <= Tolerance, $"{name}: worst relative error {worst:E2}");
    }

    [Fact]
    public void OneSharedInputRowGetsTheGradientSummedOverTrajectories()
    {
        var worst = Compare(new ParametrizedGrowth(ModelOptions.Float64(4)), perRowTime: true, sharedInputRow: true, seed: 42);
        Assert.True(worst <= Tolerance, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void FrozenParametersGetNoGradientAndTimeOnlyWhenAsked()
    {
        var model = new ForcedOscillator(ModelOptions.Float64(5));
        using var scope = NewDisposeScope();
        model.named_parameters().First(p => p.name == "damping").parameter.requires_grad_(false);
        var (t, y, a) = Point(model, perRowTime: true, new Random(3));
        var r = ((IRatesVjp)model).Vjp(t, y, a);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Null(r.VjpParams[names.IndexOf("damping")]);
        Assert.NotNull(r.VjpParams[names.IndexOf("amplitude")]);
        Assert.Null(r.VjpT);
        Assert.False(r.F.requires_grad || r.VjpY.requires_grad);
    }

    // Largest relative error over every result of one VJP call.
    internal static double Compare(OdeModel model, bool perRowTime, bool sharedInputRow, int seed)
    {
        Assert.IsAssignableFrom<IRatesVjp>(model);
        using var scope = NewDisposeScope();
        var rng = new Random(seed);
        var (t, y, a) = Point(model, perRowTime, rng);
        if (model.Layout.InputSize > 0)
            model.Inputs = Sample(rng, sharedInputRow ? 1 : Batch, model.Layout.InputSize, 1.0).requires_grad_(true);
        var generated = (IRatesVjp)model;
        var reference = AutogradRatesVjp.For(model);
        Assert.Equal(reference.Parameters.Count, generated.Parameters.Count);
        for (int i = 0; i < reference.Parameters.Count; i++) Assert.Same(reference.Parameters[i], generated.Parameters[i]);

        var expected = reference.Vjp(t, y, a, withTime: true);
        var actual = generated.Vjp(t, y, a, withTime: true);
        double worst = Error(actual.F, expected.F, "F");
        worst = System.Math.Max(worst, Error(actual.VjpY, expected.VjpY, "VjpY"));
        for (int i = 0; i < expected.VjpParams.Count; i++)
            worst = System.Math.Max(worst, Error(actual.VjpParams[i], expected.VjpParams[i], $"VjpParams[{i}]"));
        worst = System.Math.Max(worst, Error(actual.VjpT, expected.VjpT, "VjpT"));
        model.Inputs = null;
        return worst;
    }

    internal static (Tensor T, Tensor Y, Tensor A) Point(OdeModel model, bool perRowTime, Random rng)
    {
        int n = model.Layout.StateSize;
        var t = perRowTime ? Sample(rng, Batch, 1, 3.0) : torch.tensor(3.0 * rng.NextDouble(), float64);
        return (t, Sample(rng, Batch, n, 1.5), Sample(rng, Batch, n, 1.0));
    }

    // max |actual − expected| / max |expected|; a null result stands for zeros (no dependence).
    static double Error(Tensor? actual, Tensor? expected, string what)
    {
        if (actual is null && expected is null) return 0;
        var e = expected ?? zeros_like(actual!);
        var x = actual ?? zeros_like(expected!);
        Assert.True(e.shape.SequenceEqual(x.shape), $"{what}: shape [{string.Join(",", x.shape)}] vs autograd [{string.Join(",", e.shape)}]");
        Assert.False(x.requires_grad, $"{what} carries an autograd graph");
        double scale = e.abs().max().item<double>();
        double diff = (x - e).abs().max().item<double>();
        return scale == 0 ? diff : diff / scale;
    }

    static Tensor Sample(Random rng, int rows, int cols, double scale)
    {
        var values = new double[rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = scale * (2 * rng.NextDouble() - 1);
        return torch.tensor(values, new long[] { rows, cols }, float64);
    }
}
