namespace NodeDsl.Runtime;

/// <summary>Fixed-step "control": every step is accepted and the next has the same size (<see cref="SolverOptions.StepSize"/>).</summary>
/// <param name="StepSize">The step magnitude.</param>
public sealed record ConstantStepController(double StepSize) : IStepSizeController
{
    /// <inheritdoc />
    public StepDecision Decide(double stepMagnitude, double errorNorm, int? errorOrder, ref ControllerMemory memory)
        => new(true, StepSize);
}
