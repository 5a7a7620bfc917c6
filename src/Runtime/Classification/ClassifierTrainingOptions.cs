using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Classification;

/// <summary>Settings of <see cref="ClassifierTrainer"/>: mini-batch cross-entropy training with a TorchSharp optimizer.</summary>
public sealed record ClassifierTrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Examples per optimizer step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Examples per forward pass when evaluating (no gradients, so larger batches fit).</summary>
    public int EvaluationBatchSize { get; init; } = 500;
    /// <summary>The optimizer (Adam, AdamW or SGD; L-BFGS is refused: it needs whole-set closures).</summary>
    public OptimizerSettings Optimizer { get; init; } = OptimizerSettings.Adam(1e-3);
    /// <summary>Learning rate per epoch; the base rate throughout when null.</summary>
    public LearningRateSchedule? Schedule { get; init; }
    /// <summary>
    /// Per-class weights of the cross-entropy (length = classes), e.g. inverse class frequencies for imbalanced data;
    /// unweighted when null.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }
    /// <summary>Clips the gradient's global norm before each step when set.</summary>
    public double? GradientClipNorm { get; init; }
    /// <summary>Seed of the shuffling (the order of the examples in each epoch).</summary>
    public long Seed { get; init; }
    /// <summary>Called after every epoch with its metrics (e.g. to print progress).</summary>
    public Action<ClassifierEpoch>? OnEpoch { get; init; }

    /// <summary>Throws with a remedy for settings that cannot train.</summary>
    internal void Validate(int classes)
    {
        if (Epochs < 0) throw new ArgumentException($"Epochs must be at least 0, not {Epochs}.");
        if (BatchSize < 1 || EvaluationBatchSize < 1)
            throw new ArgumentException($"BatchSize ({BatchSize}) and EvaluationBatchSize ({EvaluationBatchSize}) must be at least 1.");
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        if (Optimizer.Kind == OptimizerKind.Lbfgs)
            throw new ArgumentException("L-BFGS re-evaluates the loss on a fixed batch through a closure and does not suit mini-batch classification; use Adam, AdamW or SGD.");
        if (ClassWeights is { } w && (w.Count != classes || w.Any(v => !(v > 0) || !double.IsFinite(v))))
            throw new ArgumentException($"ClassWeights needs {classes} positive finite weights (one per class) but has [{string.Join(", ", w)}].");
        if (GradientClipNorm is { } clip && !(clip > 0)) throw new ArgumentException($"GradientClipNorm must be positive, not {clip}.");
    }
}

/// <summary>Metrics of one training epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean cross-entropy of the training batches (while training, weights changing).</param>
/// <param name="TrainAccuracy">Fraction of training examples classified correctly in their batch (while training).</param>
/// <param name="Test">Evaluation on the test set after the epoch; null without a test set.</param>
/// <param name="ForwardNfePerBatch">Mean vector-field evaluations of the network's ODE blocks per training batch, forward solves.</param>
/// <param name="BackwardNfePerBatch">The same for the backward passes (adjoint solves); 0 for direct backpropagation.</param>
/// <param name="LearningRate">The rate used in the epoch.</param>
/// <param name="Seconds">Wall time of the training part of the epoch (evaluation excluded).</param>
public sealed record ClassifierEpoch(int Epoch, double TrainLoss, double TrainAccuracy, ClassifierEvaluation? Test,
    double ForwardNfePerBatch, double BackwardNfePerBatch, double LearningRate, double Seconds);

/// <summary>A network's predictions, loss and confusion matrix on a data set, and the NFE its ODE blocks spent per evaluation batch.</summary>
/// <param name="Loss">Mean (unweighted) cross-entropy.</param>
/// <param name="Confusion">True against predicted classes.</param>
/// <param name="ForwardNfePerBatch">Mean forward vector-field evaluations of the ODE blocks per evaluation batch.</param>
/// <param name="Predictions">The predicted class of every example, in the data's order.</param>
public sealed record ClassifierEvaluation(double Loss, ConfusionMatrix Confusion, double ForwardNfePerBatch, IReadOnlyList<long> Predictions)
{
    /// <summary>Fraction classified correctly.</summary>
    public double Accuracy => Confusion.Accuracy;
    /// <summary>1 − accuracy.</summary>
    public double Error => 1 - Confusion.Accuracy;
}
