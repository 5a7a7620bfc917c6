namespace NodeDsl.Runtime.Training;

/// <summary>What one training epoch did.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Loss">Mean data loss over the epoch's batches (without regularisers).</param>
/// <param name="ValidationLoss">Data loss on the validation set, or null without one.</param>
/// <param name="Regularization">Mean weighted regulariser added to the loss, 0 when none.</param>
/// <param name="LearningRate">The rate used in this epoch.</param>
/// <param name="ForwardEvaluations">Vector-field evaluations of the epoch's training solves (augmented system included).</param>
/// <param name="BackwardEvaluations">Evaluations in backward passes reported by the gradient method (adjoints); null when it reports none (direct backprop).</param>
/// <param name="Seconds">Wall-clock time of the epoch, validation included.</param>
public sealed record EpochMetrics(
    int Epoch,
    double Loss,
    double? ValidationLoss,
    double Regularization,
    double LearningRate,
    long ForwardEvaluations,
    long? BackwardEvaluations,
    double Seconds);

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    Completed,
    /// <summary>The validation loss stopped improving.</summary>
    EarlyStopping,
    /// <summary>A callback asked to stop.</summary>
    Callback,
}

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="History">Metrics of every epoch, resumed ones included.</param>
/// <param name="Reason">Why training ended.</param>
/// <param name="BestEpoch">Epoch with the lowest validation loss (or training loss without validation).</param>
/// <param name="Message">A sentence for logs, e.g. which callback stopped the run.</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, StopReason Reason, int BestEpoch, string Message)
{
    /// <summary>Metrics of the last epoch.</summary>
    public EpochMetrics Last => History[^1];
}

/// <summary>What a callback sees after an epoch, and how it asks to stop.</summary>
public sealed class EpochContext
{
    internal EpochContext(EpochMetrics metrics, IReadOnlyList<EpochMetrics> history) => (Metrics, History) = (metrics, history);

    /// <summary>Metrics of the epoch that just ended.</summary>
    public EpochMetrics Metrics { get; }
    /// <summary>All epochs so far, this one included.</summary>
    public IReadOnlyList<EpochMetrics> History { get; }
    /// <summary>Set by <see cref="RequestStop"/>.</summary>
    public string? StopRequest { get; private set; }

    /// <summary>Ends training after this epoch (its checkpoint is still written).</summary>
    public void RequestStop(string reason) => StopRequest = reason;
}

/// <summary>User code run after every epoch; call <see cref="EpochContext.RequestStop"/> to end training.</summary>
public delegate void EpochCallback(EpochContext context);
