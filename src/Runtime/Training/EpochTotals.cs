namespace NodeDsl.Runtime.Training;

/// <summary>Running sums of one epoch: mean loss and regulariser over batches, evaluation counts.</summary>
internal sealed class EpochTotals
{
    double loss, regularization;
    int batches;
    public long ForwardEvaluations { get; private set; }
    public long? BackwardEvaluations { get; private set; }

    /// <summary>Adds a solve's forward counters and, after backward(), the gradient method's backward counters.</summary>
    public void Count(TrainingObjective.Result result)
    {
        ForwardEvaluations += result.Stats.FunctionEvaluations;
        if (result.Gradient?.Backward is { } backward) BackwardEvaluations = (BackwardEvaluations ?? 0) + backward.FunctionEvaluations;
    }
    public double Loss => batches == 0 ? double.NaN : loss / batches;
    public double Regularization => batches == 0 ? 0 : regularization / batches;
    public void Add(double batchLoss, double batchRegularization)
    {
        loss += batchLoss;
        regularization += batchRegularization;
        batches++;
    }
}
