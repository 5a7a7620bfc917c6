namespace NodeDsl.Runtime;

/// <summary>Base class of errors raised while integrating an ODE.</summary>
public class OdeSolverException(string message) : Exception(message);

/// <summary>The adaptive step size fell below the smallest step that still advances <c>t</c>.</summary>
public sealed class StepSizeUnderflowException(double t, double stepSize)
    : OdeSolverException(
        $"Step size underflow at t = {t:R}: the controller asked for h = {stepSize:R}, which no longer advances t. " +
        "The problem is probably stiff or singular here: use an implicit solver (Kvaerno5), loosen rtol/atol, " +
        "or check the model for a blow-up near this time.")
{
    /// <summary>Time at which the step size underflowed.</summary>
    public double Time { get; } = t;
    /// <summary>The rejected step size.</summary>
    public double StepSize { get; } = stepSize;
}

/// <summary>The state or the rates became NaN or infinite.</summary>
public sealed class NonFiniteStateException(double t, IReadOnlyList<long> rows)
    : OdeSolverException(
        $"Non-finite state (NaN or Inf) at t = {t:R} in batch row(s) {FormatRows(rows)}. " +
        "Check the initial state and parameters of these rows, lower the learning rate if this happens during " +
        "training, or use float64 / tighter tolerances if the solution grows very large.")
{
    /// <summary>Time of the last finite state.</summary>
    public double Time { get; } = t;
    /// <summary>Batch rows whose state or rates are not finite.</summary>
    public IReadOnlyList<long> Rows { get; } = rows;

    static string FormatRows(IReadOnlyList<long> rows)
        => rows.Count <= 10 ? string.Join(", ", rows) : string.Join(", ", rows.Take(10)) + $", … ({rows.Count} rows)";
}

/// <summary>The solver took <c>SolverOptions.MaxSteps</c> steps without reaching the last output time.</summary>
public sealed class MaxStepsExceededException(double t, int maxSteps, double tEnd)
    : OdeSolverException(
        $"Maximum number of steps ({maxSteps}) exceeded at t = {t:R} before reaching t = {tEnd:R}. " +
        "Raise SolverOptions.MaxSteps, loosen rtol/atol, or use an implicit solver if the problem is stiff.")
{
    /// <summary>Time reached when the limit was hit.</summary>
    public double Time { get; } = t;
    /// <summary>The limit that was exceeded.</summary>
    public int MaxSteps { get; } = maxSteps;
}

