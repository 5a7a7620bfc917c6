namespace NodeDsl.Runtime.Training;

/// <summary>
/// The per-solve step limit of <see cref="RunawayDetection"/>: a running maximum of solver steps per unit of time, turned
/// into a <c>SolverOptions.MaxSteps</c> for the next solve of a given duration.
/// </summary>
internal sealed class StepBudget(RunawayDetection? detection, int maxSteps)
{
    double rate;   // most steps per unit time of any solve so far; 0 until the first

    /// <summary>The step limit of a solve over <paramref name="duration"/> time units, or null for the solver's own <c>MaxSteps</c>.</summary>
    public int? For(double duration)
    {
        if (detection is null || rate == 0) return null;
        double budget = System.Math.Max(detection.MinimumSteps, System.Math.Ceiling(detection.StepFactor * rate * duration));
        return budget >= maxSteps ? null : (int)budget;
    }

    /// <summary>Adds a finished solve's steps (accepted and rejected) over <paramref name="duration"/>.</summary>
    public void Record(SolverStats stats, double duration)
    {
        if (duration > 0) rate = System.Math.Max(rate, (stats.AcceptedSteps + stats.RejectedSteps) / duration);
    }

    /// <summary>Most steps per unit time so far (for messages).</summary>
    public double Rate => rate;
}
