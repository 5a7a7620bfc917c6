using static NodeDsl.Runtime.OptionRules;

namespace NodeDsl.Runtime;

/// <summary>
/// Proportional–integral step-size control (Gustafsson 1991; Söderlind 2002; diffrax <c>PIDController</c>):
/// <c>h_new = h · safety · e_n^(−(P+I)/k) · e_{n−1}^(P/k)</c>, <c>k = errorOrder + 1</c>, clamped to
/// [<see cref="MinFactor"/>, <see cref="MaxFactor"/>] and <see cref="MaxStep"/>. It owns every setting of step control:
/// the tolerances (<see cref="Tolerance"/>), the first and largest step, safety and factors. After a rejection it uses the
/// integral part only and never grows the step (Hairer, Nørsett &amp; Wanner I, II.4).
/// </summary>
/// <remarks>
/// <para>A new <see cref="PIController"/> uses Gustafsson's PI.3.4 from the first step; the default controller of explicit
/// Runge–Kutta methods (the options' shorthand) has a start-up phase (<see cref="DefaultStartupErrorNorm"/>). With <see cref="StartupErrorNorm"/> &gt; 0
/// the controller is the elementary I controller (P = 0, I = 1: <c>h · 0.9 · e^(−1/k)</c>, as scipy's RK45, torchdiffeq
/// and diffrax's default) during the start-up phase, while every error norm so far is below it, and uses the
/// coefficients after the first step whose error reaches it or is rejected: far below the tolerance PI.3.4 has no
/// oscillation to damp and its smaller exponent only brakes growth, which costs short solves (training windows) up to
/// twice the evaluations (bench/README.md, docs/solvers.md "Step-size control").</para>
/// <para>Each property is checked as it is set (an <see cref="OdeArgumentException"/> naming it): NaN, a safety outside
/// (0, 1], a shrink factor outside (0, 1) or a growth factor below 1 would make the controller loop without progress.</para>
/// </remarks>
public sealed record PIController : IStepSizeController
{
    /// <summary>Proportional coefficient P; 0.4 with <see cref="IntegralCoefficient"/> 0.3 is Gustafsson's PI.3.4.</summary>
    public double ProportionalCoefficient { get; init => field = Checked(value, Finite(value), "PIController.ProportionalCoefficient"); } = NodeDsl.Prediction.PIStepControl.DefaultProportional;
    /// <summary>Integral coefficient I (P = 0, I = 1 is the classic I controller).</summary>
    public double IntegralCoefficient { get; init => field = Checked(value, Finite(value), "PIController.IntegralCoefficient"); } = NodeDsl.Prediction.PIStepControl.DefaultIntegral;
    /// <summary>
    /// Error norm that ends the start-up phase: until a step's error norm reaches it (or a step is rejected) the controller
    /// decides as the elementary I controller (P = 0, I = 1), from then on with <see cref="ProportionalCoefficient"/> and
    /// <see cref="IntegralCoefficient"/>. 0 (the default) uses the coefficients from the first step; 0.1 keeps the I
    /// controller while the solve stays far below its tolerance.
    /// </summary>
    /// <remarks>
    /// No start-up phase runs when <see cref="FirstStep"/> is given: the phase makes up for the caution of Hairer's starting
    /// step, and a given step (the user's, or the forward solve's last proposal that starts a backsolve's backward solve) is
    /// already the one the solve should take.
    /// </remarks>
    public double StartupErrorNorm { get; init => field = Checked(value, FiniteNonNegative(value), "PIController.StartupErrorNorm"); }

    /// <summary>
    /// The <see cref="StartupErrorNorm"/> of the default controller of explicit Runge–Kutta methods (the options' shorthand,
    /// <see cref="SolverOptions.StepSizeController"/> null): 0.1.
    /// </summary>
    public const double DefaultStartupErrorNorm = NodeDsl.Prediction.PIStepControl.DefaultStartupErrorNorm;
    /// <summary>Safety factor applied to every proposal.</summary>
    public double Safety { get; init => field = Checked(value, OptionRules.Safety(value), "PIController.Safety"); } = NodeDsl.Prediction.PIStepControl.DefaultSafety;
    /// <summary>Smallest factor by which a step may shrink.</summary>
    public double MinFactor { get; init => field = Checked(value, ShrinkFactor(value), "PIController.MinFactor"); } = NodeDsl.Prediction.PIStepControl.DefaultMinFactor;
    /// <summary>Largest factor by which a step may grow.</summary>
    public double MaxFactor { get; init => field = Checked(value, GrowthFactor(value), "PIController.MaxFactor"); } = NodeDsl.Prediction.PIStepControl.DefaultMaxFactor;
    /// <summary>Largest step magnitude; it also caps <see cref="FirstStep"/>.</summary>
    public double MaxStep { get; init => field = Checked(value, StepBound(value), "PIController.MaxStep"); } = double.PositiveInfinity;
    /// <summary>Tolerances of the error weights (rtol 1e-6, atol 1e-8 by default).</summary>
    public ErrorTolerance Tolerance { get; init => field = value ?? throw new OdeArgumentException("PIController.Tolerance is null; use ErrorTolerance.Default.", "PIController.Tolerance"); } = ErrorTolerance.Default;
    /// <summary>Magnitude of the first step; null (the default) chooses it by Hairer's heuristic.</summary>
    public double? FirstStep { get; init => field = value is { } h ? Checked(h, StepLength(h), "PIController.FirstStep") : null; }

    /// <summary>
    /// The controller that <see cref="SolverOptions"/>' shorthand (tolerances, first and max step, safety, factors) stands for
    /// when <see cref="SolverOptions.StepSizeController"/> is null; explicit Runge–Kutta methods add the start-up phase
    /// (<see cref="DefaultStartupErrorNorm"/>) to it.
    /// </summary>
    public static PIController FromOptions(SolverOptions options) => new()
    {
        Tolerance = new ErrorTolerance(options.RelativeTolerance, options.AbsoluteTolerance, options.RelativeTolerances, options.AbsoluteTolerances),
        FirstStep = options.FirstStep,
        Safety = options.Safety, MinFactor = options.MinFactor, MaxFactor = options.MaxFactor, MaxStep = options.MaxStep,
    };

    /// <inheritdoc />
    public IStepSizeController WithFirstStep(double magnitude) => this with { FirstStep = Math.Min(magnitude, MaxStep) };

    /// <inheritdoc />
    public IStepSizeController? WithTolerance(ErrorTolerance tolerance) => this with { Tolerance = tolerance, FirstStep = null };

    /// <inheritdoc />
    public StepDecision Decide(double stepMagnitude, double errorNorm, int? errorOrder, ref ControllerMemory memory)
    {
        if (errorOrder is not { } order)
            throw new InvalidOperationException("PIController needs a method with an error estimate; fixed-step methods use ConstantStepController.");
        // The start-up phase only chooses the coefficients (elementary I controller until it ends, see StartupErrorNorm). The
        // step whose error ends it is still decided by the I controller: PI's memory term (e_{n−1}/e_n)^(P/k) would compare
        // its error with a start-up error orders of magnitude smaller and halve the step it just accepted.
        bool elementary = StartupErrorNorm > 0 && FirstStep is null && !memory.PastStartup;
        memory.PastStartup |= !double.IsFinite(errorNorm) || errorNorm >= StartupErrorNorm || errorNorm > 1;
        // The formula lives with the native prediction path (NodeDsl.Prediction), so both take the same steps.
        bool accept = NodeDsl.Prediction.PIStepControl.Decide(elementary ? 0 : ProportionalCoefficient, elementary ? 1 : IntegralCoefficient,
            Safety, MinFactor, MaxFactor, MaxStep, stepMagnitude, errorNorm, order, ref memory.PreviousErrorNorm, ref memory.PreviousRejected, out double next);
        return new(accept, next);
    }
}
