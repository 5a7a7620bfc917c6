using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgHeartbeats;

/// <summary>
/// The Zurlo–Facci networks for 187-sample beats, layer for layer as printed in their deck: a 1-D downsampling stem
/// (1×187 → 64×46), then six residual blocks (ResNet) or one ODE block (ODE-Net: Dormand–Prince with the checkpointed adjoint), then
/// group norm, ReLU, average pooling and a linear layer to the five classes.
/// </summary>
public static class BeatNetworks
{
    /// <summary>Residual blocks of the ResNet (six in the deck).</summary>
    public const int ResNetBlocks = 6;

    /// <summary>The 1-D conv ResNet.</summary>
    public static Sequential ResNet(long seed, Device device)
    {
        var blocks = Enumerable.Range(0, ResNetBlocks).Select(k => SeededConstruction.Create(seed, 10 + k, () => new ResidualBlock1d($"block{k}"))).ToArray();
        return Assemble(seed, nn.Sequential(blocks.Select(b => ((string, nn.Module<Tensor, Tensor>))(b.GetName(), b))), device);
    }

    /// <summary>The ODE-Net: one ODE block (<see cref="BeatFlow"/>) on t ∈ [0, 1], differentiated by <paramref name="gradient"/> (default: the checkpointed adjoint).</summary>
    public static Sequential OdeNet(long seed, Device device, double tolerance, GradientMethod? gradient = null)
    {
        var flow = new BeatFlow(new ModelOptions { DType = ScalarType.Float32, Device = device, Seed = seed });
        var block = new OdeBlock("ode", flow, new OdeBlockOptions
        {
            Solver = Solvers.Dopri5,
            SolverOptions = new SolverOptions { RelativeTolerance = tolerance, AbsoluteTolerance = tolerance },
            // Checkpointed, not backsolve: the ReLU field's backsolve gradient does not converge at the solver's tolerance
            // (docs/odenet-images.md, "Which adjoint"); the checkpointed one is the exact gradient of the discrete solve.
            Gradient = gradient ?? GradientMethod.Checkpointed(),
        });
        return Assemble(seed, block, device);
    }

    /// <summary>Trainable parameters (elements) of <paramref name="module"/>.</summary>
    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    static Sequential Assemble(long seed, nn.Module<Tensor, Tensor> middle, Device device)
    {
        var network = nn.Sequential(
            ("stem", SeededConstruction.Create(seed, 1, Stem)),
            ("middle", middle),
            ("head", SeededConstruction.Create(seed, 2, Head)));
        network.to(device);
        return network;
    }

    static Sequential Stem() => nn.Sequential(
        ("conv1", nn.Conv1d(1, ConvRates1d.Channels, 3)),
        ("norm1", ConvRates1d.Norm()),
        ("relu1", nn.ReLU()),
        ("conv2", nn.Conv1d(ConvRates1d.Channels, ConvRates1d.Channels, 4, stride: 2, padding: 1)),
        ("norm2", ConvRates1d.Norm()),
        ("relu2", nn.ReLU()),
        ("conv3", nn.Conv1d(ConvRates1d.Channels, ConvRates1d.Channels, 4, stride: 2, padding: 1)));

    static Sequential Head() => nn.Sequential(
        ("norm", ConvRates1d.Norm()),
        ("relu", nn.ReLU()),
        ("pool", nn.AdaptiveAvgPool1d(1)),
        ("flatten", nn.Flatten()),
        ("linear", nn.Linear(ConvRates1d.Channels, BeatClasses.Names.Count)));
}

/// <summary>The deck's ResBlock: <c>h + conv(ReLU(GN(conv(ReLU(GN(h))))))</c>, 3-tap convolutions without bias.</summary>
public sealed class ResidualBlock1d : nn.Module<Tensor, Tensor>
{
    readonly GroupNorm norm1, norm2;
    readonly Conv1d conv1, conv2;

    /// <summary>Creates the block (TorchSharp's default initialisation).</summary>
    public ResidualBlock1d(string name) : base(name)
    {
        norm1 = ConvRates1d.Norm();
        conv1 = nn.Conv1d(ConvRates1d.Channels, ConvRates1d.Channels, 3, padding: 1, bias: false);
        norm2 = ConvRates1d.Norm();
        conv2 = nn.Conv1d(ConvRates1d.Channels, ConvRates1d.Channels, 3, padding: 1, bias: false);
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
