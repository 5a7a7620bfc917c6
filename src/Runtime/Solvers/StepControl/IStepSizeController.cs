namespace NodeDsl.Runtime;

/// <summary>
/// Decides whether an attempted step is accepted and how long the next one is. Works on host doubles: the driver
/// calls it once per step (batch mode) or once per row (per-trajectory mode) after the one device sync of the step.
/// </summary>
public interface IStepSizeController
{
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
}
