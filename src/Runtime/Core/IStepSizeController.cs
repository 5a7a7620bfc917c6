namespace NodeDsl.Runtime;

/// <summary>
/// Step-size control of a solve, in one place (as diffrax's <c>PIDController</c>): the tolerances that weight the error
/// estimate, the first and largest step, and the decision whether an attempted step is accepted and how long the next one
/// is. <see cref="Decide"/> works on host doubles: the loop calls it once per step (batch mode) or once per row
/// (per-trajectory mode) after the one device sync of the step.
/// </summary>
/// <remarks>The loop reads <see cref="Tolerance"/>, <see cref="FirstStep"/> and <see cref="MaxStep"/> once per solve. A
/// controller that does not override them gets rtol 1e-6, atol 1e-8, Hairer's first step and no step limit.</remarks>
public interface IStepSizeController
{
    /// <summary>The tolerances of the error weights <c>atol + rtol·|y|</c>; the error norm divides the estimate by them.</summary>
    ErrorTolerance Tolerance => ErrorTolerance.Default;

    /// <summary>Magnitude of the first step; null lets the loop choose it (Hairer's starting-step heuristic).</summary>
    double? FirstStep => null;

    /// <summary>Largest step magnitude; it also caps the first step.</summary>
    double MaxStep => double.PositiveInfinity;

    /// <summary>
    /// This controller starting with a first step of <paramref name="magnitude"/> (capped by <see cref="MaxStep"/>): the
    /// adjoint methods start a follow-up solve with a step they already know. The default returns this controller, which
    /// then chooses its own first step.
    /// </summary>
    IStepSizeController WithFirstStep(double magnitude) => this;

    /// <summary>
    /// This controller with <paramref name="tolerance"/> and no first step (the backsolve adjoint's backward solve), or null
    /// (the default) when it owns its tolerances and cannot take others.
    /// </summary>
    IStepSizeController? WithTolerance(ErrorTolerance tolerance) => null;

    /// <summary>
    /// Judges a step of magnitude <paramref name="stepMagnitude"/> whose weighted RMS error norm is
    /// <paramref name="errorNorm"/> (≤ 1 means within tolerance; NaN or ∞ means the step blew up).
    /// </summary>
    /// <param name="stepMagnitude">|h| of the attempted step.</param>
    /// <param name="errorNorm">Weighted RMS error norm; 0 for fixed-step methods.</param>
    /// <param name="errorOrder">Order of the embedded solution (exponent denominator is errorOrder + 1), or null for fixed-step methods.</param>
    /// <param name="memory">This trajectory's controller history; updated in place.</param>
    StepDecision Decide(double stepMagnitude, double errorNorm, int? errorOrder, ref ControllerMemory memory);
}

/// <summary>Outcome of <see cref="IStepSizeController.Decide"/>.</summary>
/// <param name="Accept">Whether the attempted step is accepted.</param>
/// <param name="NextStepMagnitude">|h| of the next attempt (positive; the driver applies the direction and clamps at the end time).</param>
public readonly record struct StepDecision(bool Accept, double NextStepMagnitude);

/// <summary>What a controller remembers between steps of one trajectory.</summary>
public struct ControllerMemory
{
    /// <summary>Error norm of the last accepted step (0 before the first).</summary>
    public double PreviousErrorNorm;
    /// <summary>Whether the last attempt was rejected (the next step must not grow).</summary>
    public bool PreviousRejected;
    /// <summary>Whether the solve has left its start-up phase (<see cref="PIController.StartupErrorNorm"/>).</summary>
    public bool PastStartup;
}
