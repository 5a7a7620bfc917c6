namespace NodeDsl.Runtime;

/// <summary>How the local error estimate is reduced to one accept/reject decision.</summary>
public enum ErrorNorm
{
    /// <summary>One RMS norm over the whole batch: all rows share one step size (fewest ops per step).</summary>
    Batch,
    /// <summary>
    /// One RMS norm per trajectory and one step size per trajectory: a stiff or fast row does not shrink the steps
    /// of the others, at the price of per-row bookkeeping (masks) in every step. See docs/solvers.md.
    /// </summary>
    /// <remarks>
    /// Still one host sync per step (the <c>[batch]</c> norms), but each step costs a few more tensor ops and evaluates
    /// the rates on every row, including rows whose step was rejected and rows already at the end. Worth it when rows
    /// need very different steps; with similar rows <see cref="Batch"/> is cheaper. Fixed-step methods ignore it.
    /// </remarks>
    PerTrajectory,
}

/// <summary>Options of a solve. All are optional; defaults suit float64 work on smooth problems.</summary>
/// <remarks>Step control belongs to the step-size controller (<see cref="IStepSizeController"/>). The tolerances, first and
/// max step, safety and factors here are a shorthand for the default <see cref="PIController"/> (for explicit Runge–Kutta
/// methods with the I-controller start-up, <see cref="PIController.DefaultStartupErrorNorm"/>); when
/// <see cref="StepSizeController"/> is set, they must stay at their defaults (set them on the controller), or the solve
/// fails with an <see cref="OdeArgumentException"/> naming the setting that would be ignored.</remarks>
/// <remarks><see cref="Ode.Solve(IOdeSystem, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, IOdeSolver, SolverOptions?)"/> checks every value
/// before the first step and names an invalid one in an <see cref="OdeArgumentException"/> (allowed values: docs/solvers.md,
/// "Checked before the first step").</remarks>
/// <remarks>The tolerances, step bounds and step limit are <see cref="NodeDsl.Numerics.IntegrationSettings"/>'s, shared with
/// the native kernels and the libtorch-free surrogate; a solve that needs more than <see cref="NodeDsl.Numerics.IntegrationSettings.MaxSteps"/>
/// steps fails with <see cref="MaxStepsExceededException"/>.</remarks>
public sealed record SolverOptions : NodeDsl.Numerics.IntegrationSettings
{
    /// <summary>Safety factor of the step-size controller.</summary>
    public double Safety { get; init; } = NodeDsl.Prediction.PIStepControl.DefaultSafety;
    /// <summary>Smallest factor by which a step may shrink.</summary>
    public double MinFactor { get; init; } = NodeDsl.Prediction.PIStepControl.DefaultMinFactor;
    /// <summary>Largest factor by which a step may grow.</summary>
    public double MaxFactor { get; init; } = NodeDsl.Prediction.PIStepControl.DefaultMaxFactor;
    /// <summary>How the error estimate is reduced; see <see cref="ErrorNorm"/>.</summary>
    public ErrorNorm Norm { get; init; } = ErrorNorm.Batch;
    /// <summary>
    /// Step-size controller of adaptive methods, owner of their tolerances, first and max step, safety and factors; when
    /// null, a <see cref="PIController"/> built from this record's shorthand (<see cref="PIController.FromOptions"/>).
    /// Fixed-step solvers take no controller.
    /// </summary>
    public IStepSizeController? StepSizeController { get; init; }
    /// <summary>
    /// Which code runs the solve: <see cref="Backend.Auto"/> (the default) uses the native kernels of a generated model on
    /// the CPU where they are eligible and faster, <see cref="Backend.Torch"/> always TorchSharp, <see cref="Backend.Native"/>
    /// always the kernels (an error names why a solve cannot run there). See docs/backends.md.
    /// </summary>
    public Backend Backend { get; init; } = Backend.Auto;
}
