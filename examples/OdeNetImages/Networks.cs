using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>
/// The three classifiers of Chen et al. (2018), Table 1, built from the same parts: a downsampling stem
/// (1×28×28 → C×7×7), a middle part, and a head (group norm, ReLU, global average pooling, linear to 10 scores).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>ResNet</b>: the middle is <see cref="ResNetBlocks"/> residual blocks <c>h + f_k(h)</c>, each with its own weights.</item>
/// <item><b>RK-Net</b>: one ODE block (<see cref="FeatureFlow"/>, Dormand–Prince) whose gradient is backpropagated through
/// the solver's steps (<see cref="GradientMethod.Direct"/>): memory grows with the number of evaluations L̃.</item>
/// <item><b>ODE-Net</b>: the same ODE block, differentiated by an adjoint method: by default the checkpointed adjoint (exact
/// for the discrete solve, memory ∝ √L̃ instead of L̃: ANODE, Gholami et al. 2019); Chen et al.'s backsolve adjoint (memory
/// independent of L̃) on request. On this ReLU field the backsolve gradient does not converge at the solver's tolerance
/// (docs/odenet-images.md, "Which adjoint").</item>
/// </list>
/// Equal seeds give the RK-Net and the ODE-Net identical initial weights, so they differ only in the gradient method.
/// </remarks>
public static class Networks
{
    /// <summary>Residual blocks of the ResNet (Chen et al.'s baseline has six).</summary>
    public const int ResNetBlocks = 6;

    /// <summary>The ResNet baseline.</summary>
    public static ImageClassifier ResNet(long seed, Device device)
    {
        var blocks = Enumerable.Range(0, ResNetBlocks).Select(k => SeededConstruction.Create(seed, 10 + k, () => new ResidualBlock($"block{k}"))).ToArray();
        return Assemble("ResNet", seed, nn.Sequential(blocks.Select(b => ((string, nn.Module<Tensor, Tensor>))(b.GetName(), b))), device);
    }

    /// <summary>The ODE block backpropagated through the solver (Chen et al.'s RK-Net); float64 for gradient checks.</summary>
    public static ImageClassifier RkNet(long seed, Device device, double tolerance, ScalarType dtype = ScalarType.Float32)
        => Assemble("RK-Net", seed, Block(seed, device, dtype, tolerance, GradientMethod.Direct), device, dtype);

    /// <summary>
    /// The ODE block differentiated by an adjoint method (Chen et al.'s ODE-Net): <paramref name="gradient"/>, by default
    /// <see cref="GradientMethod.Checkpointed"/> (see the remarks above); float64 for gradient checks.
    /// </summary>
    public static ImageClassifier OdeNet(long seed, Device device, double tolerance, ScalarType dtype = ScalarType.Float32, GradientMethod? gradient = null)
        => Assemble("ODE-Net", seed, Block(seed, device, dtype, tolerance, gradient ?? GradientMethod.Checkpointed()), device, dtype);

    /// <summary>Trainable parameters (elements) of <paramref name="module"/>.</summary>
    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    static OdeBlock Block(long seed, Device device, ScalarType dtype, double tolerance, GradientMethod gradient)
    {
        // Chen et al.: dopri5 on t ∈ [0, 1] with rtol = atol = 1e-3 (their --tol default).
        var flow = new FeatureFlow(new ModelOptions { DType = dtype, Device = device, Seed = seed });
        return new OdeBlock("ode", flow, new OdeBlockOptions
        {
            Solver = Solvers.Dopri5,
            SolverOptions = new SolverOptions { RelativeTolerance = tolerance, AbsoluteTolerance = tolerance },
            Gradient = gradient,
        });
    }

    static ImageClassifier Assemble(string name, long seed, nn.Module<Tensor, Tensor> middle, Device device, ScalarType dtype = ScalarType.Float32)
    {
        // Indices 1 and 2: streams of their own, apart from the flow's (the model's seed) and the residual blocks' (10+).
        var stem = SeededConstruction.Create(seed, 1, Stem);
        var head = SeededConstruction.Create(seed, 2, Head);
        var classifier = new ImageClassifier(name, stem, middle, head);
        classifier.to(dtype);
        classifier.to(device);
        return classifier;
    }

    /// <summary>Chen et al.'s downsampling: conv 3×3, then two 4×4 stride-2 convolutions (28 → 14 → 7), group norm and ReLU between.</summary>
    static Sequential Stem() => nn.Sequential(
        ("conv1", nn.Conv2d(1, ConvRates.Channels, 3, padding: 1)),
        ("norm1", ConvRates.Norm()),
        ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(ConvRates.Channels, ConvRates.Channels, 4, stride: 2, padding: 1)),
        ("norm2", ConvRates.Norm()),
        ("relu2", nn.ReLU()),
        ("conv3", nn.Conv2d(ConvRates.Channels, ConvRates.Channels, 4, stride: 2, padding: 1)));

    static Sequential Head() => nn.Sequential(
        ("norm", ConvRates.Norm()),
        ("relu", nn.ReLU()),
        ("pool", nn.AdaptiveAvgPool2d(1)),
        ("flatten", nn.Flatten()),
        ("linear", nn.Linear(ConvRates.Channels, 10)));
}

/// <summary>Stem, middle and head in sequence: images <c>[batch, 1, 28, 28]</c> → scores <c>[batch, 10]</c>.</summary>
public sealed class ImageClassifier : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> stem, middle, head;

    /// <summary>Assembles the parts (registered as <c>stem.*</c>, <c>middle.*</c>, <c>head.*</c>).</summary>
    public ImageClassifier(string name, nn.Module<Tensor, Tensor> stem, nn.Module<Tensor, Tensor> middle, nn.Module<Tensor, Tensor> head) : base(name)
    {
        (this.stem, this.middle, this.head) = (stem, middle, head);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return head.forward(middle.forward(stem.forward(images))).MoveToOuterDisposeScope();
    }
}

/// <summary>Chen et al.'s residual block: <c>h + conv(ReLU(GN(conv(ReLU(GN(h))))))</c>, 3×3 convolutions, C channels.</summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    readonly GroupNorm norm1, norm2;
    readonly Conv2d conv1, conv2;

    /// <summary>Creates the block (TorchSharp's default initialisation).</summary>
    public ResidualBlock(string name) : base(name)
    {
        norm1 = ConvRates.Norm();
        conv1 = nn.Conv2d(ConvRates.Channels, ConvRates.Channels, 3, padding: 1);
        norm2 = ConvRates.Norm();
        conv2 = nn.Conv2d(ConvRates.Channels, ConvRates.Channels, 3, padding: 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        var x = conv1.forward(nn.functional.relu(norm1.forward(h)));
        x = conv2.forward(nn.functional.relu(norm2.forward(x)));
        return (h + x).MoveToOuterDisposeScope();
    }
}
