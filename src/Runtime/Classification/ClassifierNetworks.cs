using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// Builds the classifiers of Chen et al. (2018), Table 1, for images (2-D) or sequences such as heartbeats (1-D), from
/// the same parts (<see cref="ConvClassifierOptions"/>): a downsampling stem, a middle part and a head.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>ResNet</b> (<see cref="ResNet"/>): the middle is <see cref="ConvClassifierOptions.ResidualBlocks"/>
/// <see cref="ResidualBlock"/>s, each with its own weights (memory O(L)).</item>
/// <item><b>RK-Net</b> and <b>ODE-Net</b> (<see cref="OdeNet"/>): the middle is one <see cref="OdeBlock"/> around a
/// generated model whose rates are a conv network (e.g. a <see cref="ConcatConvField"/>). The two are the same network
/// built by the same call; they differ only in <see cref="OdeBlockOptions.Gradient"/>: backprop through the solver's
/// steps (<see cref="GradientMethod.Direct"/>, the RK-Net, memory ∝ NFE) or an adjoint (the ODE-Net: checkpointed,
/// memory ∝ √NFE, or backsolve, O(1)).</item>
/// </list>
/// Seeded: the stem, the head and each residual block draw from streams of their own (<see cref="SeededConstruction"/>,
/// indices 1, 2 and 10 + k), the ODE block's model from <c>ModelOptions.Seed</c>; so networks built with equal seeds
/// share their stem and head, and an RK-Net and an ODE-Net start from identical weights.
/// </remarks>
public static class ClassifierNetworks
{
    /// <summary>The ResNet baseline: stem, residual blocks, head.</summary>
    /// <param name="name">Module name (e.g. "ResNet").</param>
    /// <param name="options">The network's shape.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <param name="device">Where the parameters live.</param>
    /// <param name="dtype">Their element type (float64 for gradient checks).</param>
    public static ConvClassifier ResNet(string name, ConvClassifierOptions options, long seed, Device device, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var blocks = Enumerable.Range(0, options.ResidualBlocks)
            .Select(k => SeededConstruction.Create(seed, 10 + k, () => new ResidualBlock($"block{k}", options.Dimensions, options.Channels, options.ResidualBias)))
            .ToArray();
        return Assemble(name, options, seed, nn.Sequential(blocks.Select(b => ((string, nn.Module<Tensor, Tensor>))(b.GetName(), b))), device, dtype);
    }

    /// <summary>
    /// A network whose middle is one ODE block: the RK-Net (<paramref name="block"/> with <see cref="GradientMethod.Direct"/>)
    /// or the ODE-Net (an adjoint). The block's vector field is <paramref name="flow"/>(model options), a generated
    /// <c>[OdeModel]</c> whose state holds the stem's output, flattened.
    /// </summary>
    /// <param name="name">Module name (e.g. "RK-Net", "ODE-Net").</param>
    /// <param name="options">The network's shape.</param>
    /// <param name="flow">Creates the vector field from the model options (dtype, device, seed), e.g. <c>o =&gt; new FeatureFlow(o)</c>.</param>
    /// <param name="block">Time interval, solver, tolerances and gradient method of the ODE block.</param>
    /// <param name="seed">Seed of the initial weights (the flow's <c>ModelOptions.Seed</c> too).</param>
    /// <param name="device">Where the parameters live.</param>
    /// <param name="dtype">Their element type (float64 for gradient checks).</param>
    /// <exception cref="ArgumentException">The flow is not an <see cref="IOdeSystem"/>, or its state size is not what the stem produces.</exception>
    public static ConvClassifier OdeNet(string name, ConvClassifierOptions options, Func<ModelOptions, nn.Module> flow, OdeBlockOptions block,
        long seed, Device device, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(block);
        options.Validate();
        var field = flow(new ModelOptions { DType = dtype, Device = device, Seed = seed });
        return Assemble(name, options, seed, new OdeBlock("ode", field, block), device, dtype);
    }

    /// <summary>Trainable parameters (elements) of <paramref name="module"/>.</summary>
    public static long ParameterCount(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Sum(p => p.numel());
    }

    static ConvClassifier Assemble(string name, ConvClassifierOptions options, long seed, nn.Module<Tensor, Tensor> middle, Device device, ScalarType dtype)
    {
        // Indices 1 and 2: streams of their own, apart from the flow's (the model's seed) and the residual blocks' (10+).
        var stem = SeededConstruction.Create(seed, 1, () => Stem(options));
        var head = SeededConstruction.Create(seed, 2, () => Head(options));
        var classifier = new ConvClassifier(name, stem, middle, head);
        classifier.to(dtype);
        classifier.to(device);
        return classifier;
    }

    /// <summary>Chen et al.'s downsampling: a 3-tap conv, then two 4-tap stride-2 convolutions (28 → 14 → 7), group norm and ReLU between.</summary>
    static Sequential Stem(ConvClassifierOptions o) => nn.Sequential(
        ("conv1", ConvLayers.Conv(o.Dimensions, o.InputChannels, o.Channels, 3, padding: o.StemPadding)),
        ("norm1", ConvLayers.Norm(o.Channels)),
        ("relu1", nn.ReLU()),
        ("conv2", ConvLayers.Conv(o.Dimensions, o.Channels, o.Channels, 4, stride: 2, padding: 1)),
        ("norm2", ConvLayers.Norm(o.Channels)),
        ("relu2", nn.ReLU()),
        ("conv3", ConvLayers.Conv(o.Dimensions, o.Channels, o.Channels, 4, stride: 2, padding: 1)));

    static Sequential Head(ConvClassifierOptions o) => nn.Sequential(
        ("norm", ConvLayers.Norm(o.Channels)),
        ("relu", nn.ReLU()),
        ("pool", ConvLayers.GlobalAveragePool(o.Dimensions)),
        ("flatten", nn.Flatten()),
        ("linear", nn.Linear(o.Channels, o.Classes)));
}
