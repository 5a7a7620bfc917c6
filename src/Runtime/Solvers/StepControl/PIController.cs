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
/// <para>By default the coefficients are Gustafsson's PI.3.4 from the first step. With <see cref="StartupErrorNorm"/> &gt; 0
/// the controller is the elementary I controller (P = 0, I = 1: <c>h · 0.9 · e^(−1/k)</c>, as scipy's RK45, torchdiffeq
/// and diffrax's default) during the start-up phase, while every error norm so far is below it, and uses the
/// coefficients from the first step whose error reaches it or is rejected: far below the tolerance PI.3.4 has no
/// oscillation to damp and its smaller exponent only brakes growth, which costs short solves (training windows) up to
/// twice the evaluations (bench/README.md, docs/solvers.md "Step-size control").</para>
/// <para>Each property is checked as it is set (an <see cref="OdeArgumentException"/> naming it): NaN, a safety outside
/// (0, 1], a shrink factor outside (0, 1) or a growth factor below 1 would make the controller loop without progress.</para>
/// </remarks>
public sealed record PIController : IStepSizeController
{
    // Floor for the previous error, as in Hairer's DOPRI5 (facold ≥ 1e-4), so one tiny error does not explode the step.
    const double MinPreviousError = 1e-4;

    /// <summary>Proportional coefficient P; 0.4 with <see cref="IntegralCoefficient"/> 0.3 is Gustafsson's PI.3.4.</summary>
    public double ProportionalCoefficient { get; init => field = Checked(value, Finite(value), "PIController.ProportionalCoefficient"); } = 0.4;
    /// <summary>Integral coefficient I (P = 0, I = 1 is the classic I controller).</summary>
    public double IntegralCoefficient { get; init => field = Checked(value, Finite(value), "PIController.IntegralCoefficient"); } = 0.3;
    /// <summary>
    /// Error norm that ends the start-up phase: until a step's error norm reaches it (or a step is rejected) the controller
    /// decides as the elementary I controller (P = 0, I = 1), from then on with <see cref="ProportionalCoefficient"/> and
    /// <see cref="IntegralCoefficient"/>. 0 (the default) uses the coefficients from the first step; 0.1 keeps the I
    /// controller while the solve stays far below its tolerance.
    /// </summary>
    public double StartupErrorNorm { get; init => field = Checked(value, FiniteNonNegative(value), "PIController.StartupErrorNorm"); }
    /// <summary>Safety factor applied to every proposal.</summary>
    public double Safety { get; init => field = Checked(value, OptionRules.Safety(value), "PIController.Safety"); } = 0.9;
    /// <summary>Smallest factor by which a step may shrink.</summary>
    public double MinFactor { get; init => field = Checked(value, ShrinkFactor(value), "PIController.MinFactor"); } = 0.2;
    /// <summary>Largest factor by which a step may grow.</summary>
    public double MaxFactor { get; init => field = Checked(value, GrowthFactor(value), "PIController.MaxFactor"); } = 10.0;
    /// <summary>Largest step magnitude; it also caps <see cref="FirstStep"/>.</summary>
    public double MaxStep { get; init => field = Checked(value, StepBound(value), "PIController.MaxStep"); } = double.PositiveInfinity;
    /// <summary>Tolerances of the error weights (rtol 1e-6, atol 1e-8 by default).</summary>
    public ErrorTolerance Tolerance { get; init => field = value ?? throw new OdeArgumentException("PIController.Tolerance is null; use ErrorTolerance.Default.", "PIController.Tolerance"); } = ErrorTolerance.Default;
    /// <summary>Magnitude of the first step; null (the default) chooses it by Hairer's heuristic.</summary>
    public double? FirstStep { get; init => field = value is { } h ? Checked(h, StepLength(h), "PIController.FirstStep") : null; }

    /// <summary>
    /// The controller that <see cref="SolverOptions"/>' shorthand (tolerances, first and max step, safety, factors) stands for
    /// when <see cref="SolverOptions.StepSizeController"/> is null.
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
        if (!double.IsFinite(errorNorm))
        {
            memory.PreviousRejected = memory.PastStartup = true;
            return new(false, stepMagnitude * MinFactor);
        }
        double k = order + 1;
        bool accept = errorNorm <= 1;
        memory.PastStartup |= errorNorm >= StartupErrorNorm || errorNorm > 1;
        bool elementary = !memory.PastStartup;
        double p = elementary ? 0 : ProportionalCoefficient, i = elementary ? 1 : IntegralCoefficient;
        double factor;
        if (errorNorm == 0) factor = MaxFactor;
        else if (accept && !memory.PreviousRejected)
        {
            double previous = Math.Max(memory.PreviousErrorNorm, MinPreviousError);
            factor = Safety * Math.Pow(errorNorm, -(p + i) / k) * Math.Pow(previous, p / k);
        }
        else factor = Safety * Math.Pow(errorNorm, -1 / k);
        if (!accept || memory.PreviousRejected) factor = Math.Min(factor, 1);
        factor = Math.Clamp(factor, MinFactor, MaxFactor);
        if (accept) memory.PreviousErrorNorm = errorNorm;
        memory.PreviousRejected = !accept;
        return new(accept, Math.Min(stepMagnitude * factor, MaxStep));
    }
}
