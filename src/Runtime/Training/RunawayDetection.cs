namespace NodeDsl.Runtime.Training;

/// <summary>
/// Stops a run whose dynamics have run away (typically after too large a learning rate) before each solve spends
/// <c>SolverOptions.MaxSteps</c> steps: every training and validation solve of a <see cref="Trainer.Fit"/> gets a
/// budget of <see cref="StepFactor"/> times the most solver steps per unit of time that any earlier batch of the run
/// needed (at least <see cref="MinimumSteps"/>, at most <c>MaxSteps</c>). A solve over budget ends training with a
/// <see cref="TrainingDivergedException"/> of kind <see cref="DivergenceKind.RunawayDynamics"/>.
/// </summary>
/// <remarks>
/// Steps per unit of time, not per solve, so long and short windows are judged alike; fixed-step solvers never exceed
/// it. The first batch of a run has no budget (nothing to compare with). Training that legitimately gets much stiffer
/// (more steps) than it started needs a larger factor, or <c>TrainerOptions.Runaway = null</c>.
/// </remarks>
public sealed record RunawayDetection
{
    /// <summary>How many times the most steps per unit time seen so far a solve may take.</summary>
    public double StepFactor { get; init; } = 50;

    /// <summary>The smallest budget in steps, so that very easy early solves do not make it tiny.</summary>
    public int MinimumSteps { get; init; } = 1000;

    internal void Validate()
    {
        if (!(StepFactor >= 1) || double.IsInfinity(StepFactor))
            throw new ArgumentException($"Runaway.StepFactor must be a finite number of at least 1, not {StepFactor}.");
        if (MinimumSteps < 1) throw new ArgumentException($"Runaway.MinimumSteps must be at least 1, not {MinimumSteps}.");
    }
}
