namespace NodeDsl.Runtime;

/// <summary>
/// Fixed-step "control": every step has the same size (<c>SolverOptions.StepSize</c>). A fixed step cannot be
/// shrunk, so an attempt that failed (error norm ∞, e.g. a nonlinear solve that did not converge) or reports an error
/// above tolerance is not accepted silently: <see cref="Decide"/> throws a <see cref="FixedStepFailedException"/>.
/// </summary>
/// <param name="StepSize">The step magnitude.</param>
public sealed record ConstantStepController(double StepSize) : IStepSizeController
{
    /// <inheritdoc />
    /// <exception cref="FixedStepFailedException"><paramref name="errorNorm"/> is above 1, infinite or NaN.</exception>
    public StepDecision Decide(double stepMagnitude, double errorNorm, int? errorOrder, ref ControllerMemory memory)
        => errorNorm <= 1 ? new(true, StepSize) : throw new FixedStepFailedException(stepMagnitude, errorNorm);
}

/// <summary>An attempt of a fixed-step method failed, and a fixed step cannot be shrunk and retried.</summary>
public sealed class FixedStepFailedException(double stepSize, double errorNorm) : OdeSolverException(Explain(stepSize, errorNorm))
{
    /// <summary>The step size of the failed attempt.</summary>
    public double StepSize { get; } = stepSize;
    /// <summary>The attempt's error norm (∞ when the method reported the attempt as failed).</summary>
    public double ErrorNorm { get; } = errorNorm;

    static string Explain(double h, double norm)
        => $"A step of the fixed-step method (h = {h:R}) failed (error norm {norm:R}; ∞ means the method itself gave up, e.g. its " +
           "nonlinear solve did not converge), and a fixed step cannot be shrunk and retried. Use a smaller SolverOptions.StepSize, " +
           "or an adaptive method, which shrinks the step instead.";
}
