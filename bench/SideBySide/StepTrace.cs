using NodeDsl.Runtime;

namespace NodeDsl.SideBySide;

/// <summary>
/// Prints every step decision of a solve to stderr (<c>--trace-steps</c>): the attempted |h|, the error norm, accept or
/// reject, the next |h|. For comparing step control with torchdiffeq's on the same problem.
/// </summary>
public sealed class StepTrace(IStepSizeController inner) : IStepSizeController
{
    /// <inheritdoc />
    public ErrorTolerance Tolerance => inner.Tolerance;

    /// <inheritdoc />
    public double? FirstStep => inner.FirstStep;

    /// <inheritdoc />
    public double MaxStep => inner.MaxStep;

    /// <inheritdoc />
    public StepDecision Decide(double stepMagnitude, double errorNorm, int? errorOrder, ref ControllerMemory memory)
    {
        var decision = inner.Decide(stepMagnitude, errorNorm, errorOrder, ref memory);
        Console.Error.WriteLine($"  {(decision.Accept ? "accept" : "reject")} |h|={stepMagnitude:F5} norm={errorNorm:G3} next={decision.NextStepMagnitude:F5}");
        return decision;
    }
}
