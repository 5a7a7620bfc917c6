using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// Everything that keeps one <see cref="Trainer.Fit"/> from applying or saving a bad step: the pre-step check
/// (<see cref="StepGuard"/>), the runaway step budget (<see cref="StepBudget"/>) and the weights of the last completed
/// epoch (<see cref="WeightSnapshot"/>), which the trainer restores before a <see cref="TrainingDivergedException"/> leaves Fit.
/// </summary>
internal sealed class DivergenceGuard : IDisposable
{
    readonly nn.Module module;
    readonly TrainerOptions options;
    readonly StepGuard reader;
    readonly StepBudget budget;
    readonly WeightSnapshot lastGood;
    Divergence? epoch;
    bool weightsChanged;

    public DivergenceGuard(nn.Module module, TrainerOptions options)
    {
        (this.module, this.options) = (module, options);
        reader = new StepGuard(module.parameters().ToArray(), options.GradientClipNorm);
        budget = new StepBudget(options.Runaway, (options.SolverOptions ?? new SolverOptions()).MaxSteps);
        lastGood = new WeightSnapshot(module);
    }

    /// <summary>Remembers the weights after <paramref name="index"/> completed epochs and starts an epoch of <paramref name="batches"/> batches.</summary>
    public void BeginEpoch(int index, int batches, double learningRate)
    {
        lastGood.Capture(index);
        epoch = new Divergence(options, index, batches, learningRate);
    }

    Divergence Epoch => epoch ?? throw new InvalidOperationException("BeginEpoch was not called.");

    /// <summary>The step limit of a solve over <paramref name="duration"/>: the runaway budget, or null for the solver's own.</summary>
    public int? StepLimit(double duration) => budget.For(duration);

    /// <summary>After <c>backward()</c>, before <c>optimizer.step()</c>: clips, reads and refuses a non-finite step.</summary>
    public StepGuard.Reading BeforeStep(TrainingObjective.Result result, TrajectoryBatch batch, int index)
    {
        var reading = reader.ClipAndRead(result);
        if (!reading.IsFinite) throw Epoch.NonFinite(index, reading, batch.LargestObservation, gradients => StepGuard.FirstNonFinite(module, gradients));
        return reading;
    }

    /// <summary>After an L-BFGS step (which changes the weights inside the optimizer): reads and refuses a non-finite result.</summary>
    public StepGuard.Reading AfterLbfgsStep(TrainingObjective.Result result, TrajectoryBatch batch, int index)
    {
        var reading = reader.ReadWithoutGradients(result);
        if (!reading.IsFinite) throw Epoch.NonFinite(index, reading, batch.LargestObservation, gradients => StepGuard.FirstNonFinite(module, gradients));
        return reading;
    }

    /// <summary>After a step was applied: the weights have changed, and the solve's steps feed the budget.</summary>
    public void Applied(TrainingObjective.Result result, TrajectoryBatch batch)
    {
        weightsChanged = true;
        budget.Record(result.Stats, batch.Duration);
    }

    /// <summary>After the epoch's batches: the last step's weights must be finite before validation or a checkpoint uses them.</summary>
    public void CheckWeights()
    {
        double norm = reader.WeightNorm();
        if (!double.IsFinite(norm))
            throw Epoch.NonFinite(null, new StepGuard.Reading(0, 0, 0, 0, norm), double.NaN, gradients => StepGuard.FirstNonFinite(module, gradients));
    }

    /// <summary>
    /// The divergence a solver failure in batch <paramref name="index"/> (null: validation) means, or null when it says
    /// nothing about divergence (the weights have not changed yet, so it is the model's or the data's own failure).
    /// </summary>
    public TrainingDivergedException? Explain(OdeSolverException failure, int? index, double duration, int? limit)
    {
        if (failure is MaxStepsExceededException exceeded && limit is { } budgetSteps && exceeded.MaxSteps == budgetSteps)
            return Epoch.Runaway(index, budgetSteps, duration, budget.Rate, exceeded);
        return weightsChanged ? Epoch.SolverFailure(index, failure) : null;
    }

    /// <summary>Puts the weights of the last completed epoch back.</summary>
    public void Restore() => lastGood.Restore();

    public void Dispose() => lastGood.Dispose();
}
