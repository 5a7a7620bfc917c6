using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using static TorchSharp.torch;

namespace EcgHeartbeats;

/// <summary>
/// The Zurlo–Facci networks for 187-sample beats, layer for layer as printed in their deck, built by
/// <see cref="ClassifierNetworks"/>: a 1-D downsampling stem (1×187 → 64×46), then six residual blocks (ResNet) or one ODE
/// block (ODE-Net: Dormand–Prince with the checkpointed adjoint), then group norm, ReLU, average pooling and a linear
/// layer to the five classes.
/// </summary>
public static class BeatNetworks
{
    /// <summary>The deck's shape: 1-D, 64 channels, five classes, an unpadded first convolution, residual convolutions without bias.</summary>
    public static ConvClassifierOptions Shape { get; } = new()
    {
        Dimensions = 1,
        Channels = ConvRates1d.Channels,
        Classes = BeatClasses.Names.Count,
        StemPadding = 0,
        ResidualBias = false,
    };

    /// <summary>The 1-D conv ResNet.</summary>
    public static ConvClassifier ResNet(long seed, Device device) => ClassifierNetworks.ResNet("ResNet", Shape, seed, device);

    /// <summary>The ODE-Net: one ODE block (<see cref="BeatFlow"/>) on t ∈ [0, 1], differentiated by <paramref name="gradient"/> (default: the checkpointed adjoint).</summary>
    public static ConvClassifier OdeNet(long seed, Device device, double tolerance, GradientMethod? gradient = null)
        => ClassifierNetworks.OdeNet("ODE-Net", Shape, o => new BeatFlow(o), new OdeBlockOptions
        {
            Solver = Solvers.Dopri5,
            SolverOptions = new SolverOptions { RelativeTolerance = tolerance, AbsoluteTolerance = tolerance },
            // Checkpointed, not backsolve: the ReLU field's backsolve gradient does not converge at the solver's tolerance
            // (docs/odenet-images.md, "Which adjoint"); the checkpointed one is the exact gradient of the discrete solve.
            Gradient = gradient ?? GradientMethod.Checkpointed(),
        }, seed, device);
}
