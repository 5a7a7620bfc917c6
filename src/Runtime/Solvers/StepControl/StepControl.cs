namespace NodeDsl.Runtime;

/// <summary>
/// Resolves the step control of a solve from its options, in one place: the user's
/// <see cref="SolverOptions.StepSizeController"/>, or the <see cref="PIController"/> that the options' shorthand
/// (<see cref="SolverOptions.RelativeTolerance"/>, <see cref="SolverOptions.MaxStep"/>, …) stands for. Everything that
/// needs a tolerance, first step or step limit (the loop, Newton iterations of implicit methods, the adjoints' drift and
/// replay checks, the backsolve's backward solve) reads it from here, so the controller is its one owner.
/// </summary>
/// <remarks>
/// The default controller is <see cref="PIController"/>'s defaults (the elementary I controller in the start-up phase, PI.3.4
/// after it), except for methods that ask for PI.3.4 from the first step
/// (<see cref="OneStepMethod.DefaultsToPI34"/>: the implicit methods Radau5, ESDIRK and Rosenbrock, measured in
/// docs/solvers.md). The
/// native integrator runs explicit Runge–Kutta methods only and reads <see cref="Adaptive(SolverOptions, bool)"/> with
/// the explicit default, so both backends take the same steps.
/// </remarks>
internal static class StepControl
{
    /// <summary>
    /// The controller of an adaptive solve with <paramref name="options"/>: the options' own, else the shorthand's
    /// <see cref="PIController"/>, PI.3.4 from the first step when <paramref name="pi34"/> (the method asks for it).
    /// </summary>
    public static IStepSizeController Adaptive(SolverOptions options, bool pi34 = false)
        => options.StepSizeController ?? (pi34 ? PIController.FromOptions(options) with { StartupErrorNorm = 0 } : PIController.FromOptions(options));

    /// <summary>The controller of <paramref name="method"/>: adaptive, or the constant step of a fixed-step method.</summary>
    public static IStepSizeController For(OneStepMethod method, SolverOptions options)
        => method.IsAdaptive ? Adaptive(options, method.DefaultsToPI34) : new ConstantStepController(options.StepSize!.Value);

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
