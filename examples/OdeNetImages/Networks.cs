using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>
/// The three classifiers of Chen et al. (2018), Table 1, on 28×28 images, built by <see cref="ClassifierNetworks"/>: a
/// downsampling stem (1×28×28 → C×7×7), a middle part, and a head (group norm, ReLU, global average pooling, linear to
/// 10 scores).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>ResNet</b>: six residual blocks <c>h + f_k(h)</c>, each with its own weights.</item>
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
    /// <summary>The networks' shape: 2-D, one input channel, C = <see cref="ConvRates.Channels"/>, ten classes, six residual blocks.</summary>
    public static ConvClassifierOptions Shape { get; } = new() { Dimensions = 2, Channels = ConvRates.Channels, Classes = 10 };

    /// <summary>The ResNet baseline.</summary>
    public static ConvClassifier ResNet(long seed, Device device) => ClassifierNetworks.ResNet("ResNet", Shape, seed, device);

    /// <summary>The ODE block backpropagated through the solver (Chen et al.'s RK-Net); float64 for gradient checks.</summary>
    public static ConvClassifier RkNet(long seed, Device device, double tolerance, ScalarType dtype = ScalarType.Float32)
        => WithOdeBlock("RK-Net", seed, device, dtype, tolerance, GradientMethod.Direct);

    /// <summary>
    /// The ODE block differentiated by an adjoint method (Chen et al.'s ODE-Net): <paramref name="gradient"/>, by default
    /// <see cref="GradientMethod.Checkpointed"/> (see the remarks above); float64 for gradient checks.
    /// </summary>
    public static ConvClassifier OdeNet(long seed, Device device, double tolerance, ScalarType dtype = ScalarType.Float32, GradientMethod? gradient = null)
        => WithOdeBlock("ODE-Net", seed, device, dtype, tolerance, gradient ?? GradientMethod.Checkpointed());

    // Chen et al.: dopri5 on t ∈ [0, 1] with rtol = atol = 1e-3 (their --tol default).
    static ConvClassifier WithOdeBlock(string name, long seed, Device device, ScalarType dtype, double tolerance, GradientMethod gradient)
        => ClassifierNetworks.OdeNet(name, Shape, o => new FeatureFlow(o), new OdeBlockOptions
        {
            Solver = Solvers.Dopri5,
            SolverOptions = new SolverOptions { RelativeTolerance = tolerance, AbsoluteTolerance = tolerance },
            Gradient = gradient,
        }, seed, device, dtype);
}
