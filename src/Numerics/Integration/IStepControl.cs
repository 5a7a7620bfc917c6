namespace NodeDsl.Numerics;

/// <summary>
/// The accept/reject decision and the next step of one solve (the runtime adapts its step-size controllers to it);
/// stateful: it keeps the controller's history between calls.
/// </summary>
public interface IStepControl
{
    /// <summary>Judges a step of magnitude <paramref name="stepMagnitude"/> with weighted RMS error <paramref name="errorNorm"/> (∞ when it blew up).</summary>
    /// <returns>Whether to accept, and the magnitude of the next attempt in <paramref name="nextStepMagnitude"/>.</returns>
    bool Decide(double stepMagnitude, double errorNorm, out double nextStepMagnitude);
}
