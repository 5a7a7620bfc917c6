namespace NodeDsl.Runtime;

/// <summary>Options of the backsolve adjoint's backward solve. Unset values fall back to the forward solve's.</summary>
public sealed record AdjointOptions
{
    /// <summary>Solver of the backward (augmented) solve; the forward solver when null.</summary>
    public IOdeSolver? Solver { get; init; }
    /// <summary>Relative tolerance of the backward solve; the forward <see cref="SolverOptions.RelativeTolerance"/> when null.</summary>
    public double? RelativeTolerance { get; init; }
    /// <summary>Absolute tolerance of the backward solve; the forward <see cref="SolverOptions.AbsoluteTolerance"/> when null.</summary>
    public double? AbsoluteTolerance { get; init; }
    /// <summary>Step of a fixed-step backward solver; the forward <see cref="SolverOptions.StepSize"/> when null.</summary>
    public double? StepSize { get; init; }
    /// <summary>Step limit of the backward solve (each segment between output times); the forward limit when null.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>
    /// Leave the parameter-gradient components out of the backward solve's error norm (Kidger et al. 2021, "Hey, that's
    /// not an ODE"): they never feed back into the dynamics, so controlling their error only costs steps. Off by default.
    /// </summary>
    public bool Seminorm { get; init; }

    /// <summary>
    /// What happens when the backward solve's y leaves the forward trajectory (it is compared with the forward solution at
    /// every output time; docs/gradients.md gives the threshold), which means y cannot be integrated backwards there (stiff
    /// or strongly dissipative dynamics) and the backsolve gradient would be wrong. False (the default): <c>backward()</c>
    /// fails with an <see cref="AdjointDriftException"/>. True: that backward pass computes the gradient with the
    /// checkpointed adjoint instead (one more forward solve plus a replay with a graph) and sets
    /// <see cref="GradientReport.FellBackToCheckpointed"/>.
    /// </summary>
    public bool FallbackToCheckpointed { get; init; }
}

/// <summary>Where the checkpointed adjoint stores states.</summary>
public sealed record CheckpointOptions
{
    /// <summary>
    /// Output intervals per segment; 0 (the default) picks ⌈√(T − 1)⌉ for T output times. 1 stores a checkpoint at every
    /// output time. Each segment is solved on its own, so an adaptive solver restarts its step control at every segment
    /// boundary (fewer, longer segments cost fewer evaluations but keep a larger graph during the backward pass).
    /// </summary>
    public int OutputsPerSegment { get; init; }

    /// <summary>
    /// Fixed-step solvers only: split segments so that each replays at most this many steps (checkpoints every k steps,
    /// at multiples of the step size, so the discretisation is unchanged). Null: no split.
    /// </summary>
    public int? StepsPerSegment { get; init; }
}
