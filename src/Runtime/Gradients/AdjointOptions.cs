using static NodeDsl.Runtime.OptionRules;

namespace NodeDsl.Runtime;

/// <summary>Options of the backsolve adjoint's backward solve. Unset values fall back to the forward solve's.</summary>
public sealed record AdjointOptions
{
    /// <summary>Solver of the backward (augmented) solve; the forward solver when null.</summary>
    public IOdeSolver? Solver { get; init; }
    /// <summary>Relative tolerance of the backward solve; the forward <c>SolverOptions.RelativeTolerance</c> when null.</summary>
    public double? RelativeTolerance { get; init; }
    /// <summary>Absolute tolerance of the backward solve; the forward <c>SolverOptions.AbsoluteTolerance</c> when null.</summary>
    public double? AbsoluteTolerance { get; init; }
    /// <summary>Step of a fixed-step backward solver; the forward <c>SolverOptions.StepSize</c> when null.</summary>
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
    /// <summary>Checks each value as given (<see cref="GradientMethod.Backsolve"/>): the backward solve runs inside
    /// <c>backward()</c>, where a bad option would surface far from where it was set.</summary>
    internal void Validate()
    {
        if (RelativeTolerance is { } rtol) Require(Tolerance(rtol), "AdjointOptions.RelativeTolerance");
        if (AbsoluteTolerance is { } atol) Require(Tolerance(atol), "AdjointOptions.AbsoluteTolerance");
        if (StepSize is { } h) Require(StepLength(h), "AdjointOptions.StepSize");
        if (MaxSteps is { } steps) Require(AtLeast(steps, 1), "AdjointOptions.MaxSteps");
    }

    /// <summary>
    /// The backsolve's backward solve of <c>[y, a, θ̄]</c> after a forward solve with <paramref name="forwardSolver"/> and
    /// <paramref name="forward"/>: its solver and options, for both backends. The augmented system has no coordinate–momentum
    /// split, so partitioned symplectic methods (leapfrog, Yoshida) give way to RK4 with the same step, of an order at least
    /// theirs. <paramref name="seminormTolerances"/> (given rtol, atol) returns per-component tolerances that leave θ̄ out of
    /// the error norm; it is used when <see cref="Seminorm"/> is set.
    /// </summary>
    internal (IOdeSolver Solver, SolverOptions Options) BackwardSolve(IOdeSolver forwardSolver, SolverOptions forward,
        Func<double, double, (double[] Rtol, double[] Atol)>? seminormTolerances)
    {
        var solver = Solver ?? (forwardSolver.NeedsPhaseSpaceSplit ? Solvers.Rk4 : forwardSolver);
        var forwardTolerance = StepControl.Tolerance(forward);
        double rtol = RelativeTolerance ?? forwardTolerance.Relative;
        double atol = AbsoluteTolerance ?? forwardTolerance.Absolute;
        var tolerance = new ErrorTolerance(rtol, atol);
        if (Seminorm && seminormTolerances is not null)
        {
            var (r, a) = seminormTolerances(rtol, atol);
            tolerance = tolerance with { RelativePerComponent = r, AbsolutePerComponent = a };
        }
        var options = forward with
        {
            StepSize = StepSize ?? forward.StepSize,
            MaxSteps = MaxSteps ?? forward.MaxSteps,
            // One augmented row: the per-trajectory norm has nothing to separate.
            Norm = ErrorNorm.Batch,
        };
        return (solver, StepControl.WithTolerance(options, tolerance));
    }

    /// <summary>Checks what the backward solve inherits from the forward one (<paramref name="solver"/>, <paramref name="options"/>), before the solve.</summary>
    internal void Validate(IOdeSolver solver, SolverOptions options)
    {
        var backward = Solver ?? solver;
        if (!backward.IsAdaptive && (StepSize ?? options.StepSize) is null)
            throw new OdeArgumentException(
                $"The backward solve uses the fixed-step solver '{backward.Name}' but has no step size: set AdjointOptions.StepSize (or SolverOptions.StepSize).",
                "AdjointOptions.StepSize");
        if (!StepControl.TakesTolerance(options) && (RelativeTolerance is not null || AbsoluteTolerance is not null || Seminorm))
            throw new OdeArgumentException(
                "AdjointOptions.RelativeTolerance, AbsoluteTolerance and Seminorm set the backward solve's tolerances, but SolverOptions.StepSizeController " +
                "is a custom controller, which owns its tolerances and would ignore them: leave them unset, or use a PIController.", "AdjointOptions.RelativeTolerance");
        var forward = StepControl.Tolerance(options);
        if ((RelativeTolerance ?? forward.Relative) == 0 && (AbsoluteTolerance ?? forward.Absolute) == 0)
            throw new OdeArgumentException(
                "The backward solve's relative and absolute tolerances are both 0 (AdjointOptions, falling back to SolverOptions): no step could be accepted. Make one of them positive.",
                "AdjointOptions.AbsoluteTolerance");
    }
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

    /// <summary>Checks each value as given (<see cref="GradientMethod.Checkpointed"/>).</summary>
    internal void Validate()
    {
        Require(AtLeast(OutputsPerSegment, 0), "CheckpointOptions.OutputsPerSegment", "Use 0 for the automatic choice.");
        if (StepsPerSegment is { } k) Require(AtLeast(k, 1), "CheckpointOptions.StepsPerSegment", "Leave it null for no split.");
    }
}
