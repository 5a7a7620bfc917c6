using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Hooks into one batch-mode solve of the step loop (<see cref="StepDriver"/>), for the gradient methods that wrap it:
/// the checkpointed adjoint logs accepted steps and where outputs came from (<see cref="StepLog"/>), the backsolve adjoint
/// makes the state jump at output times. The default of every hook does nothing.
/// </summary>
/// <remarks>Handles passed to a hook belong to the loop, which disposes them when they are superseded: take an
/// <c>alias()</c> to keep one.</remarks>
internal abstract class StepObserver
{
    /// <summary>Output <paramref name="output"/> (≥ 1) was read from accepted step <paramref name="step"/> (0-based) at fraction <paramref name="theta"/>.</summary>
    public virtual void OutputReached(int output, int step, double theta) { }

    /// <summary>
    /// Step number <paramref name="steps"/> (1-based count) from <paramref name="t0"/> with signed size <paramref name="h"/>
    /// was accepted; <paramref name="y1"/>, <paramref name="f1"/> are the state and rates after it (after any jump), and
    /// <paramref name="nextStepMagnitude"/> is the controller's proposal for the next step.
    /// </summary>
    public virtual void StepAccepted(int steps, double t0, double h, Tensor y1, Tensor f1, double nextStepMagnitude) { }

    /// <summary>
    /// True when the state jumps at intermediate output times: the loop then stops at every output time and continues
    /// from <see cref="Jump"/>, re-evaluating the rates and restarting the method's history but keeping the controller's.
    /// </summary>
    public virtual bool JumpsAtOutputs => false;

    /// <summary>The state to continue from at intermediate output <paramref name="output"/> (0 &lt; output &lt; T − 1), given the state <paramref name="y"/> reached there.</summary>
    public virtual Tensor Jump(int output, Tensor y) => y;
}
