namespace NodeDsl.Runtime;

/// <summary>
/// Resolves the step control of a solve from its options, in one place: the user's
/// <see cref="SolverOptions.StepSizeController"/>, or the <see cref="PIController"/> that the options' shorthand
/// (<c>SolverOptions.RelativeTolerance</c>, <c>SolverOptions.MaxStep</c>, …) stands for. Everything that
/// needs a tolerance, first step or step limit (the loop, Newton iterations of implicit methods, the adjoints' drift and
/// replay checks, the backsolve's backward solve) reads it from here, so the controller is its one owner.
/// </summary>
internal static class StepControl
{
    /// <summary>
    /// The controller of an adaptive solve with <paramref name="options"/>: the options' own, else the shorthand's
    /// <see cref="PIController"/>, with the start-up phase of explicit Runge–Kutta methods when <paramref name="startupPhase"/>
    /// (the native integrator runs only those, and calls this with the default).
    /// </summary>
    public static IStepSizeController Adaptive(SolverOptions options, bool startupPhase = true)
        => options.StepSizeController
           ?? (startupPhase ? PIController.FromOptions(options) with { StartupErrorNorm = PIController.DefaultStartupErrorNorm } : PIController.FromOptions(options));

    /// <summary>The controller of <paramref name="method"/>: adaptive, or the constant step of a fixed-step method.</summary>
    public static IStepSizeController For(OneStepMethod method, SolverOptions options)
        => method.IsAdaptive ? Adaptive(options, method.StartsWithElementaryControl) : new ConstantStepController(options.StepSize!.Value);

    /// <summary>The solve's tolerances (also the Newton tolerance of implicit fixed-step methods).</summary>
    public static ErrorTolerance Tolerance(SolverOptions options) => Adaptive(options).Tolerance;

    /// <summary>
    /// <paramref name="options"/> with a first step of <paramref name="magnitude"/> (capped by the step limit), set where the
    /// controller keeps it: the options' shorthand, or the controller itself (<see cref="IStepSizeController.WithFirstStep"/>).
    /// </summary>
    public static SolverOptions WithFirstStep(SolverOptions options, double magnitude) => options.StepSizeController is { } controller
        ? options with { StepSizeController = controller.WithFirstStep(magnitude) }
        : options with { FirstStep = Math.Min(magnitude, options.MaxStep) };

    /// <summary>
    /// <paramref name="options"/> with <paramref name="tolerance"/> and no first step (the backsolve's backward solve), set
    /// where the controller keeps them; a controller that owns fixed tolerances keeps its own (<see cref="AdjointOptions"/>
    /// refuses backward tolerances for one, <see cref="TakesTolerance"/>).
    /// </summary>
    public static SolverOptions WithTolerance(SolverOptions options, ErrorTolerance tolerance) => options.StepSizeController is { } controller
        ? options with { StepSizeController = controller.WithTolerance(tolerance) ?? controller }
        : options with
        {
            RelativeTolerance = tolerance.Relative, AbsoluteTolerance = tolerance.Absolute,
            RelativeTolerances = tolerance.RelativePerComponent, AbsoluteTolerances = tolerance.AbsolutePerComponent, FirstStep = null,
        };

    /// <summary>True when the solve's tolerances can be replaced (<see cref="WithTolerance"/>).</summary>
    public static bool TakesTolerance(SolverOptions options) => options.StepSizeController?.WithTolerance(ErrorTolerance.Default) is not null || options.StepSizeController is null;

    /// <summary>True when the solve chooses its own first step (none was given).</summary>
    public static bool ChoosesFirstStep(SolverOptions options) => Adaptive(options).FirstStep is null;
}
