using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using NodeDsl.Models.Tests.Oracle;

namespace NodeDsl.Models.Tests;

/// <summary>What a runtime user sees of a generated model: layout, options, seeds, inputs, augmentation, gradients.</summary>
public class ModelApiTests
{
    [Fact]
    public void LayoutDescribesStatesParametersAndNetworks()
    {
        using var model = new LotkaVolterraUde();
        var layout = model.Layout;
        Assert.Equal(["prey", "predator"], layout.States.Select(s => s.Name));
        Assert.Equal([0, 1], layout.States.Select(s => s.Offset));
        Assert.Equal(2, layout.StateSize);
        Assert.Equal(2, layout.ObservedSize);
        Assert.Equal(new ParameterInfo("alpha", 1.3), Assert.Single(layout.Parameters));
        var net = Assert.Single(layout.Networks);
        Assert.Equal(("Missing", 2, 2), (net.Name, net.InputSize, net.OutputSize));
        Assert.Contains("alpha", model.named_parameters().Select(p => p.name));
        Assert.Contains(model.named_parameters(), p => p.name.StartsWith("Missing.", StringComparison.Ordinal));
    }

    [Fact]
    public void AugmentedStatesComeLastAndArePaddedWithZeros()
    {
        using var model = new AugmentedSpiral(ModelOptions.Float64());
        Assert.Equal(["h[0]", "h[1]", "a[0]", "a[1]", "a[2]"], model.Layout.ComponentNames);
        Assert.Equal(StateKind.Augmented, model.Layout.State("a").Kind);
        Assert.Equal(2, model.Layout.ObservedSize);
        using var observed = torch.tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, ScalarType.Float64);
        using var y0 = model.Augment(observed);
        Assert.Equal(new long[] { 2, 5 }, y0.shape);
        Assert.Equal(new double[] { 1, 2, 0, 0, 0, 3, 4, 0, 0, 0 }, y0.data<double>().ToArray());
        using var back = model.Observed(y0);
        Assert.True(back.allclose(observed, rtol: 0, atol: 0));
    }

    [Fact]
    public void SameSeedGivesSameWeightsAndOtherSeedsDiffer()
    {
        using var a = new Spiral(ModelOptions.Float64(42));
        using var b = new Spiral(ModelOptions.Float64(42));
        using var c = new Spiral(ModelOptions.Float64(43));
        using var y = torch.rand(8, 2, ScalarType.Float64);
        using var t = torch.tensor(0.0, ScalarType.Float64);
        Assert.True(a.Rates(t, y).allclose(b.Rates(t, y), rtol: 0, atol: 0));
        Assert.False(a.Rates(t, y).allclose(c.Rates(t, y)));
    }

    [Fact]
    public void OracleComparisonDetectsAWrongModel()
    {
        // Negative control for OracleTests: scalar rates of one model against tensor rates of another must fail.
        using var a = new LotkaVolterraUde(ModelOptions.Float64(1));
        using var b = new LotkaVolterraUde(ModelOptions.Float64(2));
        var y = new[] { 0.3, -0.7 };
        using var rates = b.Rates(torch.tensor(0.0, ScalarType.Float64), torch.tensor(y, new long[] { 1, 2 }, ScalarType.Float64));
        var expected = a.ScalarRates(0.0, y);
        Assert.True(OracleCheck(rates.data<double>().ToArray(), expected) > 1e-6);
    }

    static double OracleCheck(double[] actual, double[] expected)
        => actual.Zip(expected, Oracle.OracleCheck.RelativeError).Max();

    [Fact]
    public void Float32IsTheDefaultAndRatesKeepTheDtype()
    {
        using var model = new LotkaVolterraUde();
        Assert.Equal(ScalarType.Float32, model.DType);
        using var y = torch.rand(4, 2);
        using var rates = model.Rates(torch.tensor(0f), y);
        Assert.Equal(ScalarType.Float32, rates.dtype);
        Assert.Equal(new long[] { 4, 2 }, rates.shape);
    }

    [Fact]
    public void WrongShapeOrDtypeSaysWhatIsExpected()
    {
        using var model = new LotkaVolterraUde();
        var shape = Assert.Throws<ArgumentException>(() => model.Rates(torch.tensor(0f), torch.rand(4, 3)));
        Assert.Contains("[batch, 2]", shape.Message);
        var dtype = Assert.Throws<ArgumentException>(() => model.Rates(torch.tensor(0.0), torch.rand(4, 2, ScalarType.Float64)));
        Assert.Contains("Float64", dtype.Message);
    }

    [Fact]
    public void MissingInputsNameTheRemedy()
    {
        using var model = new ParametrizedGrowth(ModelOptions.Float64());
        Assert.Equal(["mu", "c"], model.Layout.Inputs.Select(i => i.Name));
        Assert.Equal(3, model.Layout.InputSize);
        var e = Assert.Throws<InvalidOperationException>(() => model.Rates(torch.tensor(0.0, ScalarType.Float64), torch.rand(2, 1, ScalarType.Float64)));
        Assert.Contains("WithInputs", e.Message);
        Assert.Throws<ArgumentException>(() => model.Inputs = torch.rand(2, 2, ScalarType.Float64));
        var dtype = Assert.Throws<ArgumentException>(() => model.Inputs = torch.rand(2, 3));
        Assert.Contains("Float32", dtype.Message);
    }

    [Fact]
    public void OneSharedInputRowBroadcastsOverTheBatch()
    {
        using var model = new ParametrizedGrowth(ModelOptions.Float64());
        using var y = torch.rand(5, 1, ScalarType.Float64);
        using var t = torch.tensor(0.0, ScalarType.Float64);
        using var one = torch.tensor(new double[] { 0.5, 0.2, -0.3 }, new long[] { 1, 3 }, ScalarType.Float64);
        var shared = model.WithInputs(one).Rates(t, y);
        var repeated = model.WithInputs(one.expand(5, 3)).Rates(t, y);
        Assert.True(shared.allclose(repeated, rtol: 0, atol: 0));
    }

    [Fact]
    public void GradientsFlowToInputsAndParameters()
    {
        using var model = new ParametrizedGrowth(ModelOptions.Float64(3));
        using var inputs = torch.tensor(new double[] { 0.5, 0.2, -0.3, 1.0, 0.4, 0.1 }, new long[] { 2, 3 }, ScalarType.Float64, requires_grad: true);
        using var y = torch.tensor(new double[] { 0.3, -0.6 }, new long[] { 2, 1 }, ScalarType.Float64);
        model.Inputs = inputs;
        var loss = model.Rates(torch.tensor(0.0, ScalarType.Float64), y).sum();
        loss.backward();
        Assert.NotNull(inputs.grad);
        Assert.True(inputs.grad!.abs().sum().item<double>() > 0);
        // ∂/∂mu of (mu·x − x³ + …) contains x itself; the network adds its own share.
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));

        using var lv = new LotkaVolterraUde(ModelOptions.Float64());
        lv.Rates(torch.tensor(0.0, ScalarType.Float64), torch.ones(3, 2, ScalarType.Float64)).sum().backward();
        var alpha = lv.named_parameters().Single(p => p.name == "alpha").parameter;
        Assert.Equal(3.0, alpha.grad!.item<double>(), 12);   // ∂/∂α Σ(α·prey + …) = Σ prey = 3
    }

    [Fact]
    public void ConvertingTheModelMovesParametersAndNetworks()
    {
        // TorchSharp's default Module.to assigns moved parameters to same-named fields: here the user's double fields.
        using var model = new LotkaVolterraUde();
        model.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, model.DType);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        using var rates = model.Rates(torch.tensor(0.0, ScalarType.Float64), torch.ones(2, 2, ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, rates.dtype);
        Oracle.OracleCheck.AssertAgrees(model, 16, 1);
        model.to(CPU);
        Assert.Equal(DeviceType.CPU, model.Device.type);
    }

    [Fact]
    public void ModelBuiltInsideADisposeScopeSurvivesIt()
    {
        LotkaVolterraUde model;
        using (NewDisposeScope()) model = new LotkaVolterraUde(ModelOptions.Float64());
        using var rates = model.Rates(torch.tensor(0.0, ScalarType.Float64), torch.ones(1, 2, ScalarType.Float64));
        Assert.True(rates.isfinite().all().item<bool>());
        model.Dispose();
    }

    [Fact]
    public void LearnableParameterChangesReachTheScalarOracle()
    {
        using var model = new KnownPendulum(ModelOptions.Float64());
        var length = model.named_parameters().Single(p => p.name == "length").parameter;
        using (torch.no_grad()) length.fill_(2.0);
        // q' = p / (m l²) = 1 / 4 with p = 1, l = 2.
        Assert.Equal(0.25, model.ScalarRates(0, [0.0, 1.0])[0], 14);
    }
}
