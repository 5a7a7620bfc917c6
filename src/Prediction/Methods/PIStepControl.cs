using NodeDsl.Numerics;

namespace NodeDsl.Prediction;

/// <summary>
/// Proportional–integral step-size control for the native integrator (Gustafsson 1991; Söderlind 2002):
/// <c>h_new = h · safety · e_n^(−(P+I)/k) · e_{n−1}^(P/k)</c>, <c>k = errorOrder + 1</c>, clamped to the factor bounds and
/// the largest step. The formula and the defaults are the runtime's <c>PIController</c>'s, which calls the same formula
/// here, so a prediction without libtorch takes exactly the steps of the TorchSharp solve.
/// </summary>
public sealed class PIStepControl : IStepControl
{
    /// <summary>Default proportional coefficient P (Gustafsson's PI.3.4 with I = 0.3).</summary>
    public const double DefaultProportional = 0.4;
    /// <summary>Default integral coefficient I.</summary>
    public const double DefaultIntegral = 0.3;
    /// <summary>Default safety factor.</summary>
    public const double DefaultSafety = 0.9;
    /// <summary>Default smallest shrink factor.</summary>
    public const double DefaultMinFactor = 0.2;
    /// <summary>Default largest growth factor.</summary>
    public const double DefaultMaxFactor = 10.0;
    /// <summary>
    /// The error norm that ends the start-up phase of the runtime's default controller of explicit Runge–Kutta methods: the
    /// elementary I controller until a step's error norm reaches it (that step included), PI after it.
    /// </summary>
    public const double DefaultStartupErrorNorm = 0.1;

    // Floor for the previous error, as in Hairer's DOPRI5 (facold ≥ 1e-4), so one tiny error does not explode the step.
    const double MinPreviousError = 1e-4;

    readonly int errorOrder;
    readonly double startupErrorNorm;
    double previousErrorNorm;
    bool previousRejected, pastStartup;

    /// <summary>A controller with the default coefficients for a method whose embedded solution has order <paramref name="errorOrder"/>.</summary>
    public PIStepControl(int errorOrder) : this(errorOrder, 0) { }

    /// <summary>
    /// As <see cref="PIStepControl(int)"/>, with the elementary I controller until a step's error norm reaches
    /// <paramref name="startupErrorNorm"/> (0: PI from the first step), as the runtime's <c>PIController.StartupErrorNorm</c>.
    /// </summary>
    public PIStepControl(int errorOrder, double startupErrorNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(errorOrder);
        ArgumentOutOfRangeException.ThrowIfNegative(startupErrorNorm);
        this.errorOrder = errorOrder;
        this.startupErrorNorm = startupErrorNorm;
    }

    /// <inheritdoc />
    public bool Decide(double stepMagnitude, double errorNorm, out double nextStepMagnitude)
    {
        // The step whose error ends the start-up phase is still decided by the I controller (as PIController.Decide).
        bool elementary = startupErrorNorm > 0 && !pastStartup;
        pastStartup |= !double.IsFinite(errorNorm) || errorNorm >= startupErrorNorm || errorNorm > 1;
        bool accept = Decide(elementary ? 0 : DefaultProportional, elementary ? 1 : DefaultIntegral, DefaultSafety, DefaultMinFactor, DefaultMaxFactor,
                             double.PositiveInfinity, stepMagnitude, errorNorm, errorOrder, ref previousErrorNorm, ref previousRejected, out nextStepMagnitude);
        return accept;
    }

    /// <summary>
    /// One decision of the PI controller with the given coefficients and memory (the error norm of the last accepted step,
    /// whether the last attempt was rejected). After a rejection only the integral part is used and the step never grows
    /// (Hairer, Nørsett &amp; Wanner I, II.4); a non-finite error shrinks by <paramref name="minFactor"/>.
    /// </summary>
    internal static bool Decide(double proportional, double integral, double safety, double minFactor, double maxFactor, double maxStep,
                                double stepMagnitude, double errorNorm, int order, ref double previousErrorNorm, ref bool previousRejected,
                                out double nextStepMagnitude)
    {
        if (!double.IsFinite(errorNorm))
        {
            previousRejected = true;
            nextStepMagnitude = stepMagnitude * minFactor;
            return false;
        }
        double k = order + 1;
        bool accept = errorNorm <= 1;
        double factor;
        if (errorNorm == 0) factor = maxFactor;
        else if (accept && !previousRejected)
        {
            double previous = Math.Max(previousErrorNorm, MinPreviousError);
            factor = safety * Math.Pow(errorNorm, -(proportional + integral) / k) * Math.Pow(previous, proportional / k);
        }
        else factor = safety * Math.Pow(errorNorm, -1 / k);
        if (!accept || previousRejected) factor = Math.Min(factor, 1);
        factor = Math.Clamp(factor, minFactor, maxFactor);
        if (accept) previousErrorNorm = errorNorm;
        previousRejected = !accept;
        nextStepMagnitude = Math.Min(stepMagnitude * factor, maxStep);
        return accept;
    }
}
