namespace NodeDsl.Runtime.Training;

/// <summary>
/// A live display of a training run, e.g. the console progress bar of the NodeDsl.Plotting package
/// (<c>NodeDsl.Runtime.Training.ConsoleProgress</c>). The core runtime prints nothing itself; set
/// <see cref="TrainerOptions.Progress"/> to show one.
/// </summary>
public interface ITrainingProgress
{
    /// <summary>
    /// Runs <paramref name="training"/> (the epoch loop of <see cref="Trainer.Fit"/>) inside the display and returns
    /// its result; the loop calls the reporter it is given with the metrics of every epoch.
    /// </summary>
    /// <param name="firstEpoch">Index of the first epoch of this run (non-zero when resuming from a checkpoint).</param>
    /// <param name="epochs">Total number of epochs (<see cref="TrainerOptions.Epochs"/>).</param>
    /// <param name="training">The loop; call it exactly once.</param>
    TrainingResult Run(int firstEpoch, int epochs, Func<Action<EpochMetrics>, TrainingResult> training);
}
