using NodeDsl.Runtime.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Classification;

public sealed class ClassifierNetworksTests
{
    /// <summary><see cref="ConcatConvField"/> at C channels on S×S (2-D) or length-S (1-D) maps, ReLU.</summary>
    sealed class Rates(int channels, int side, int dimensions)
        : ConcatConvField(nameof(Rates), channels, side, x => nn.functional.relu(x), dimensions);

    /// <summary>
    /// What a generated <c>[OdeModel]</c> with <c>dh/dt = Field(h, t)</c> does, by hand: the rates network gets the row
    /// (h, t), seeded by the model options as a generated model's network is.
    /// </summary>
    sealed class ConvFlow : nn.Module<Tensor, Tensor>, IOdeSystem
    {
        readonly Rates rates;

        public ConvFlow(ModelOptions options, int channels, int side, int dimensions) : base(nameof(ConvFlow))
        {
            rates = SeededConstruction.Create(options.Seed, 0, () => new Rates(channels, side, dimensions));
            RegisterComponents();
            this.to(options.DType);
        }

        public long StateSize => rates.StateSize;

        public Tensor Rates(Tensor t, Tensor y) => rates.forward(cat([y, t.reshape(1, 1).expand(y.shape[0], 1).to(y.dtype)], 1));

        public override Tensor forward(Tensor y) => Rates(zeros(1, dtype: y.dtype), y);
    }

    static ConvClassifierOptions Images(int channels) => new() { Dimensions = 2, Channels = channels, Classes = 10 };
    static ConvClassifierOptions Beats => new() { Dimensions = 1, Channels = 64, Classes = 5, StemPadding = 0, ResidualBias = false };

    static ConvClassifier OdeNet(ConvClassifierOptions o, int side, GradientMethod gradient, ScalarType dtype = ScalarType.Float32)
        => ClassifierNetworks.OdeNet(gradient == GradientMethod.Direct ? "RK-Net" : "ODE-Net", o, m => new ConvFlow(m, o.Channels, side, o.Dimensions),
            new OdeBlockOptions { Gradient = gradient }, seed: 3, CPU, dtype);

    [Fact]
    public void ImageNetworksDownsampleTo7x7AndScoreEveryClass()
    {
        using var scope = NewDisposeScope();
        using var resnet = ClassifierNetworks.ResNet("ResNet", Images(8), 3, CPU);
        using var ode = OdeNet(Images(8), 7, GradientMethod.Checkpointed());
        var images = rand(new long[] { 3, 1, 28, 28 }, generator: new Generator(1));
        using var noGrad = no_grad();
        Assert.Equal([3L, 8, 7, 7], resnet.Stem.forward(images).shape);
        foreach (var net in new[] { resnet, ode })
        {
            var scores = net.forward(images);
            Assert.Equal([3L, 10], scores.shape);
            Assert.True(scores.isfinite().all().item<bool>(), net.GetName());
        }
        Assert.IsType<OdeBlock>(ode.Middle);
    }

    [Fact]
    public void BeatNetworksDownsample187SamplesTo46()
    {
        using var scope = NewDisposeScope();
        using var resnet = ClassifierNetworks.ResNet("ResNet", Beats, 3, CPU);
        var beats = rand(new long[] { 2, 1, 187 }, generator: new Generator(1));
        using var noGrad = no_grad();
        // 187 → 185 (3 taps, no padding) → 92 → 46 (4 taps, stride 2, padding 1).
        Assert.Equal([2L, 64, 46], resnet.Stem.forward(beats).shape);
        Assert.Equal([2L, 5], resnet.forward(beats).shape);
    }

    [Fact]
    public void ParameterCountsAreChenEtAlsLayersAndTheDecksTotals()
    {
        // C = 32, 2-D, by layer: stem 3×3 conv 1→C (9C + C), two GN (2·2C), two 4×4 convs C→C (16C² + C each); head GN (2C)
        // and linear C→10 (10C + 10); ODE field three GN (3·2C) and two 3×3 convs C+1→C (9C(C+1) + C each); residual block
        // two GN and two 3×3 convs C→C (9C² + C each).
        const int C = 32;
        long stem = 9 * C + C + 2 * 2 * C + 2 * (16 * C * C + C), head = 2 * C + 10 * C + 10;
        long field = 3 * 2 * C + 2 * (9 * C * (C + 1) + C), block = 2 * 2 * C + 2 * (9 * C * C + C);
        Assert.Equal((33_280L, 394L, 19_264L, 18_624L), (stem, head, field, block));      // the numbers docs/odenet-images.md quotes
        using var resnet = ClassifierNetworks.ResNet("ResNet", Images(C), 1, CPU);
        using var ode = OdeNet(Images(C), 7, GradientMethod.Checkpointed());
        Assert.Equal(stem + 6 * block + head, resnet.ParameterCount);
        Assert.Equal(stem + field + head, ode.ParameterCount);
        Assert.Equal(ode.ParameterCount, ClassifierNetworks.ParameterCount(ode));
        // The Zurlo–Facci deck's printed totals for its 1-D networks (64 channels, bias-free residual convolutions).
        using var beatResNet = ClassifierNetworks.ResNet("ResNet", Beats, 1, CPU);
        using var beatOde = OdeNet(Beats, 46, GradientMethod.Checkpointed());
        Assert.Equal(182_853, beatResNet.ParameterCount);
        Assert.Equal(59_333, beatOde.ParameterCount);
    }

    [Fact]
    public void RkNetAndOdeNetShareOneBlockDefinitionAndDifferOnlyInTheGradientMethod()
    {
        using var scope = NewDisposeScope();
        var o = Images(4);
        using var rk = OdeNet(o, 7, GradientMethod.Direct, ScalarType.Float64);
        using var ode = OdeNet(o, 7, GradientMethod.Checkpointed(), ScalarType.Float64);
        // The same layers under the same names, with the same initial weights.
        var rkParameters = rk.named_parameters().ToArray();
        var odeParameters = ode.named_parameters().ToArray();
        Assert.Equal(rkParameters.Select(p => (p.name, string.Join('x', p.parameter.shape))), odeParameters.Select(p => (p.name, string.Join('x', p.parameter.shape))));
        Assert.Contains(rkParameters, p => p.name.StartsWith("middle.field.", StringComparison.Ordinal));
        foreach (var ((_, a), (_, b)) in rkParameters.Zip(odeParameters)) Assert.Equal(0.0, (a - b).abs().max().item<double>());
        Assert.Equal(GradientMethod.Direct, ((OdeBlock)rk.Middle).Options.Gradient);
        // Same forward pass to the last bit; gradients equal to rounding: the checkpointed adjoint is the exact gradient of
        // the discrete solve that direct backprop differentiates (float64: a few ulps of the ~1e-2 entries, bound 1e-10).
        var images = rand(new long[] { 2, 1, 28, 28 }, ScalarType.Float64, generator: new Generator(5));
        var labels = tensor(new long[] { 1, 7 });
        var grads = new List<Tensor[]>();
        foreach (var net in new[] { rk, ode })
        {
            var loss = nn.functional.cross_entropy(net.forward(images), labels);
            BackwardPass.Run(loss);
            grads.Add(net.parameters().Select(p => p.grad!.clone()).ToArray());
        }
        using (no_grad()) Assert.Equal(0.0, (rk.forward(images) - ode.forward(images)).abs().max().item<double>());
        double scale = grads[0].Max(g => g.abs().max().item<double>());
        double difference = grads[0].Zip(grads[1]).Max(p => (p.First - p.Second).abs().max().item<double>());
        Assert.True(scale > 1e-6, "the gradient should not vanish");
        Assert.True(difference <= 1e-10 * scale, $"RK-Net vs ODE-Net gradients differ by {difference:E2} (largest entry {scale:E2})");
        Assert.Equal(0, ((ISolveCounter)rk.Middle).TakeCounts().BackwardEvaluations);
        Assert.True(((ISolveCounter)ode.Middle).TakeCounts().BackwardEvaluations >= 7, "the checkpointed adjoint replays the steps");
    }

    [Fact]
    public void ShapesThatCannotBeBuiltAreRefusedWithTheRule()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassifierNetworks.ResNet("ResNet", Images(48), 1, CPU));
        Assert.Contains("multiple of 32", error.Message);
        var dims = Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierNetworks.ResNet("ResNet", Images(8) with { Dimensions = 3 }, 1, CPU));
        Assert.Contains("1-D", dims.Message);
        Assert.Throws<ArgumentException>(() => ClassifierNetworks.ResNet("ResNet", Images(8) with { Classes = 1 }, 1, CPU));
    }
}
