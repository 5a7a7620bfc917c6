namespace NodeDsl.Runtime.Training;

/// <summary>Stops training when the validation loss has not improved for <see cref="Patience"/> epochs.</summary>
public sealed record EarlyStopping
{
    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>An epoch improves when its validation loss is below the best by more than this.</summary>
    public double MinDelta { get; init; }
    /// <summary>When stopping (early or at the last epoch), put back the weights of the best validation epoch.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>
    /// Checks <see cref="Patience"/> (≥ 1) and <see cref="MinDelta"/> (finite, ≥ 0: NaN would make every epoch "no
    /// improvement"); the one place these options are validated (<see cref="TrainerOptions"/> calls it).
    /// </summary>
    internal void Validate()
    {
        OptionRules.Require(OptionRules.AtLeast(Patience, 1), "EarlyStopping.Patience");
        OptionRules.Require(OptionRules.FiniteNonNegative(MinDelta), "EarlyStopping.MinDelta");
    }
}

/// <summary>Progress of early stopping; saved in checkpoints so a resumed run stops where the original would.</summary>
/// <param name="BestLoss">Best validation loss so far (+∞ before the first).</param>
/// <param name="BestEpoch">0-based epoch of the best loss, −1 before the first.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best one.</param>
public sealed record EarlyStoppingState(double BestLoss, int BestEpoch, int EpochsWithoutImprovement)
{
    /// <summary>The state before any epoch.</summary>
    public static EarlyStoppingState Initial { get; } = new(double.PositiveInfinity, -1, 0);

    /// <summary>The state after an epoch with validation loss <paramref name="loss"/>.</summary>
    public EarlyStoppingState After(int epoch, double loss, double minDelta)
        => loss < BestLoss - minDelta ? new(loss, epoch, 0) : this with { EpochsWithoutImprovement = EpochsWithoutImprovement + 1 };
}
