using TorchSharp;
using static TorchSharp.torch;
using static NodeDsl.Runtime.OptionRules;
using Parameter = TorchSharp.Modules.Parameter;

namespace NodeDsl.Runtime.Training;

/// <summary>Which TorchSharp optimizer trains the model.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba 2015).</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019).</summary>
    AdamW,
    /// <summary>Stochastic gradient descent with optional momentum.</summary>
    Sgd,
    /// <summary>L-BFGS: each step re-evaluates the loss through a closure, usually on whole trajectories.</summary>
    Lbfgs,
    /// <summary>RMSprop (Hinton's lecture 6e; torchdiffeq's spiral demo trains with it).</summary>
    RmsProp,
}

/// <summary>An optimizer and its hyper-parameters.</summary>
public sealed record OptimizerSettings
{
    /// <summary>The algorithm.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.Adam;
    /// <summary>Base learning rate (a schedule scales it per epoch).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>L2 penalty (Adam, SGD, RMSprop) or decoupled weight decay (AdamW).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Momentum of SGD and RMSprop.</summary>
    public double Momentum { get; init; }
    /// <summary>Adam's β1 and β2.</summary>
    public (double Beta1, double Beta2) Betas { get; init; } = (0.9, 0.999);
    /// <summary>RMSprop's smoothing constant α of the running mean of squared gradients.</summary>
    public double RmsPropAlpha { get; init; } = 0.99;
    /// <summary>Centered RMSprop: normalise by an estimate of the gradient's variance instead of its second moment.</summary>
    public bool RmsPropCentered { get; init; }
    /// <summary>Inner iterations per L-BFGS step.</summary>
    public int LbfgsMaxIterations { get; init; } = 20;
    /// <summary>Number of curvature pairs L-BFGS keeps.</summary>
    public int LbfgsHistorySize { get; init; } = 100;

    /// <summary>Adam with learning rate <paramref name="learningRate"/>.</summary>
    public static OptimizerSettings Adam(double learningRate = 1e-3) => new() { Kind = OptimizerKind.Adam, LearningRate = learningRate };
    /// <summary>AdamW with learning rate and decoupled weight decay.</summary>
    public static OptimizerSettings AdamW(double learningRate = 1e-3, double weightDecay = 1e-2)
        => new() { Kind = OptimizerKind.AdamW, LearningRate = learningRate, WeightDecay = weightDecay };
    /// <summary>SGD with learning rate and momentum.</summary>
    public static OptimizerSettings Sgd(double learningRate, double momentum = 0) => new() { Kind = OptimizerKind.Sgd, LearningRate = learningRate, Momentum = momentum };
    /// <summary>RMSprop with learning rate, smoothing constant α and momentum (PyTorch's defaults: 1e-2, 0.99, 0).</summary>
    public static OptimizerSettings RmsProp(double learningRate = 1e-2, double alpha = 0.99, double momentum = 0)
        => new() { Kind = OptimizerKind.RmsProp, LearningRate = learningRate, RmsPropAlpha = alpha, Momentum = momentum };
    /// <summary>L-BFGS (learning rate 1 is the usual choice).</summary>
    public static OptimizerSettings Lbfgs(double learningRate = 1.0, int maxIterations = 20)
        => new() { Kind = OptimizerKind.Lbfgs, LearningRate = learningRate, LbfgsMaxIterations = maxIterations };

    /// <summary>Checks every hyper-parameter when the trainer is built (NaN or ∞ would reach the weights at the first step).</summary>
    internal void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new OdeArgumentException($"OptimizerSettings.Kind is {(int)Kind}, which is not an OptimizerKind.", "OptimizerSettings.Kind");
        Require(FinitePositive(LearningRate), "OptimizerSettings.LearningRate", "Typical values: 1e-3 (Adam) to 1 (L-BFGS).");
        Require(FiniteNonNegative(WeightDecay), "OptimizerSettings.WeightDecay");
        Require(FiniteNonNegative(Momentum), "OptimizerSettings.Momentum");
        Require(DecayFactor(Betas.Beta1), "OptimizerSettings.Betas.Beta1");
        Require(DecayFactor(Betas.Beta2), "OptimizerSettings.Betas.Beta2");
        Require(DecayFactor(RmsPropAlpha), "OptimizerSettings.RmsPropAlpha");
        Require(AtLeast(LbfgsMaxIterations, 1), "OptimizerSettings.LbfgsMaxIterations");
        Require(AtLeast(LbfgsHistorySize, 1), "OptimizerSettings.LbfgsHistorySize");
    }

    /// <summary>
    /// Creates the optimizer over <paramref name="parameters"/>: TorchSharp's Adam, AdamW, SGD or RMSprop (as subclasses whose step
    /// keeps its Scalars alive across native calls, so a garbage collection cannot free one mid-step; same update, same
    /// state and serialisation) or TorchSharp's L-BFGS.
    /// </summary>
    public optim.Optimizer Create(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(LearningRate > 0)) throw new ArgumentException($"The learning rate must be positive, not {LearningRate}.");
        var list = parameters.ToList();
        return Kind switch
        {
            // TorchSharp's own Adam, AdamW, SGD and RMSprop race with the garbage collector (GcSafeOptimizers): same update, no race.
            OptimizerKind.Adam => new GcSafeOptimizers.Adam(list, LearningRate, Betas.Beta1, Betas.Beta2, WeightDecay),
            OptimizerKind.AdamW => new GcSafeOptimizers.AdamW(list, LearningRate, Betas.Beta1, Betas.Beta2, WeightDecay),
            OptimizerKind.Sgd => new GcSafeOptimizers.SGD(list, LearningRate, Momentum, WeightDecay),
            OptimizerKind.RmsProp => new GcSafeOptimizers.RMSProp(list, LearningRate, RmsPropAlpha, WeightDecay, Momentum, RmsPropCentered),
            OptimizerKind.Lbfgs => optim.LBFGS(list, LearningRate, max_iter: LbfgsMaxIterations, history_size: LbfgsHistorySize),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown optimizer."),
        };
    }
}
