namespace AugmentedNode;

/// <summary>One epoch of one model. Epoch 0 is the untrained model (no training columns).</summary>
/// <param name="Epoch">1-based pass over the training set; 0 before training.</param>
/// <param name="TrainLoss">Mean Huber loss of the epoch's batches (NaN for epoch 0).</param>
/// <param name="Loss">Huber loss on the whole training set after the epoch.</param>
/// <param name="Accuracy">Fraction of training points with sign(score) = label after the epoch.</param>
/// <param name="ForwardNfe">Mean forward NFE per training batch in the epoch (NaN for epoch 0).</param>
/// <param name="EvaluationNfe">NFE of the forward solve of the whole training set after the epoch.</param>
/// <param name="Seconds">Training time of the epoch (0 for epoch 0).</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double Loss, double Accuracy, double ForwardNfe, int EvaluationNfe, double Seconds);

/// <summary>The history of one model.</summary>
/// <param name="Name">"NODE" or "ANODE p=…".</param>
/// <param name="AugmentedSize">p.</param>
/// <param name="Epochs">Epoch 0 (untrained) to the last.</param>
/// <param name="InitialAugmentedMax">max |z(0)| over the augmented components of the plotted points (0 by construction).</param>
/// <param name="FinalAugmentedMax">max |z(1)| over the same components after training (0 for p = 0).</param>
public sealed record ModelRun(string Name, int AugmentedSize, IReadOnlyList<EpochRecord> Epochs, double InitialAugmentedMax, double FinalAugmentedMax)
{
    /// <summary>The last epoch.</summary>
    public EpochRecord Final => Epochs[^1];

    /// <summary>First epoch whose whole-set loss is at most <paramref name="loss"/>, or null.</summary>
    public int? FirstEpochBelow(double loss) => Epochs.FirstOrDefault(e => e.Loss <= loss)?.Epoch;
}

/// <summary>Outcome of the experiment: one run per augmented size.</summary>
public sealed record AugmentedNodeResult(int TrainingPoints, IReadOnlyList<ModelRun> Models);
