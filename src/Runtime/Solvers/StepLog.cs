using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The accepted steps <c>(t0, h)</c> of one batch-mode solve and where its outputs came from, recorded as an observer of
/// the step loop so that <see cref="StepReplay"/> can redo any run of consecutive steps exactly, without step-size control,
/// rejected attempts or error estimates (the checkpointed adjoint's backward pass). Host memory: two doubles per step.
/// </summary>
internal sealed class StepLog(int outputs) : StepObserver
{
    readonly List<double> _t0 = [], _h = [];
    readonly (int Step, double Theta)[] _outputs = Enumerable.Repeat((-1, double.NaN), outputs).ToArray();

    /// <summary>
    /// Called after each accepted step with the number of steps taken so far, the new state and its rates (the driver's
    /// handles, disposed when superseded: take an <c>alias()</c> to keep one, e.g. as a checkpoint).
    /// </summary>
    public Action<int, Tensor, Tensor>? OnAccepted { get; init; }

    /// <summary>Number of accepted steps.</summary>
    public int Count => _t0.Count;

    /// <summary>The step-size controller's proposal (magnitude) for a step after the last one: a good first step for a following solve.</summary>
    public double NextStep { get; private set; } = double.NaN;

    /// <summary>Start time of step <paramref name="step"/>.</summary>
    public double T0(int step) => _t0[step];

    /// <summary>Signed size of step <paramref name="step"/>.</summary>
    public double H(int step) => _h[step];

    /// <summary>The step that produced output <paramref name="output"/> (≥ 1) and the fraction of it where the output lies; step −1 while not reached.</summary>
    public (int Step, double Theta) OutputSource(int output) => _outputs[output];

    /// <summary>Number of output times, including the initial one.</summary>
    public int Outputs => _outputs.Length;

    /// <inheritdoc />
    public override void OutputReached(int output, int step, double theta) => _outputs[output] = (step, theta);

    /// <inheritdoc />
    public override void StepAccepted(int steps, double t0, double h, Tensor y1, Tensor f1, double nextStepMagnitude)
    {
        _t0.Add(t0);
        _h.Add(h);
        NextStep = nextStepMagnitude;
        OnAccepted?.Invoke(_t0.Count, y1, f1);
    }
}
