namespace NodeDsl.Runtime;

/// <summary>
/// The Newton iteration of an implicit method failed with a fixed step, which cannot be shrunk. (Adaptive implicit
/// methods reject the step and retry with a smaller one instead.)
/// </summary>
public sealed class NewtonConvergenceException(double t, double stepSize)
    : OdeSolverException(
        $"The Newton iteration for the implicit stages did not converge at t = {t:R} with the fixed step h = {stepSize:R}. " +
        "Use a smaller SolverOptions.StepSize, or the adaptive solver (Solvers.Kvaerno5), which shrinks the step instead.")
{
    /// <summary>Start time of the step.</summary>
    public double Time { get; } = t;
    /// <summary>The fixed step.</summary>
    public double StepSize { get; } = stepSize;

    /// <summary>The failure at the start of <paramref name="step"/> (its first row's time and step in per-trajectory mode).</summary>
    internal static NewtonConvergenceException At(StepPoint step)
        => step.IsPerTrajectory ? new(step.RowTimes[0], step.RowSteps[0]) : new(step.SharedTime, step.SharedStep);
}
