namespace NodeDsl.Runtime.Training;

/// <summary>What went wrong when training diverged.</summary>
public enum DivergenceKind
{
    /// <summary>The batch loss (data loss plus regularisers) is NaN or infinite.</summary>
    NonFiniteLoss,
    /// <summary>A gradient (or, with clipping, the global gradient norm) is NaN or infinite.</summary>
    NonFiniteGradient,
    /// <summary>An optimizer step made a weight NaN or infinite.</summary>
    NonFiniteWeights,
    /// <summary>A solve needed far more steps per unit time than earlier batches (<see cref="RunawayDetection"/>).</summary>
    RunawayDynamics,
    /// <summary>A training solve failed (non-finite state, step-size underflow) after the weights had started to change.</summary>
    SolverFailure,
}

/// <summary>
/// Training stopped because a step would have made the model worse than useless. The bad step was never applied, no
/// checkpoint was written after it, and the model holds the weights it had after epoch <see cref="EpochsKept"/> (the
/// state a checkpoint of that epoch holds), so a run can be resumed or retried with other settings.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    internal TrainingDivergedException(DivergenceKind kind, int epoch, int? batch, int epochsKept, string message, Exception? inner = null)
        : base(message, inner)
    {
        (Kind, Epoch, Batch, EpochsKept) = (kind, epoch, batch, epochsKept);
    }

    /// <summary>What went wrong.</summary>
    public DivergenceKind Kind { get; }
    /// <summary>0-based epoch in which it happened.</summary>
    public int Epoch { get; }
    /// <summary>0-based batch within the epoch, or null when it was found after the epoch's batches (weights, validation).</summary>
    public int? Batch { get; }
    /// <summary>The model holds the weights it had after this many completed epochs (0: the initial weights).</summary>
    public int EpochsKept { get; }
}
