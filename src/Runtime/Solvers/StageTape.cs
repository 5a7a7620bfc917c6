using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The stage states of every accepted step of one batch-mode explicit Runge–Kutta solve, with the step log (start time,
/// step size, where each output came from): what the discrete adjoint of the steps needs to run backwards with one
/// vector–Jacobian product per stage and no autograd graph (<c>StageAdjoint</c>).
/// </summary>
/// <remarks>
/// <para>The method reports each attempt's stage states <c>Y_1 … Y_{s−1}</c> and proposed <c>y1</c>
/// (<see cref="Attempted"/>); the tape keeps the handles of the attempt the loop accepts and disposes those of a rejected
/// one. Stage 0 of step n is its start state, <c>y0</c> for the first step and the previous step's <c>y1</c> after it.
/// Memory: the states autograd would have saved (one per stage), without the graph.</para>
/// <para>The handles belong to the tape (outside every dispose scope) until <see cref="Dispose"/>. To keep the states for
/// a backward pass, hand them to autograd (<see cref="Export"/> into <c>save_for_backward</c>) and read them back with
/// <see cref="Saved"/>: autograd then frees them with the graph.</para>
/// </remarks>
internal sealed class StageTape(ButcherTableau tableau, int outputs) : StepObserver, IDisposable
{
    readonly List<Tensor[]> _stages = [];
    readonly List<Tensor> _ends = [];
    readonly List<double> _t0 = [], _h = [];
    readonly (int Step, double Theta)[] _outputs = Enumerable.Repeat((-1, double.NaN), outputs).ToArray();
    Tensor[]? _pendingStages;
    Tensor? _pendingEnd;

    /// <summary>The coefficients of the recorded method.</summary>
    public ButcherTableau Tableau { get; } = tableau;

    /// <summary>Number of accepted steps.</summary>
    public int Count => _t0.Count;

    /// <summary>Start time of step <paramref name="step"/>.</summary>
    public double T0(int step) => _t0[step];

    /// <summary>Signed size of step <paramref name="step"/>.</summary>
    public double H(int step) => _h[step];

    /// <summary>
    /// <paramref name="y0"/>, then the state after each step, then each step's stages <c>Y_1 … Y_{s−1}</c>: the order
    /// <see cref="Saved"/> reads.
    /// </summary>
    public List<Tensor> Export(Tensor y0)
    {
        var all = new List<Tensor>(1 + _ends.Count * Tableau.Stages) { y0 };
        all.AddRange(_ends);
        foreach (var stages in _stages) all.AddRange(stages);
        return all;
    }

    /// <summary>The recorded states read back from a list in <see cref="Export"/>'s order (e.g. autograd's saved variables).</summary>
    public RecordedStates Saved(List<Tensor> exported) => new(exported, Count, Tableau.Stages);

    /// <summary>The states of the recorded steps, in a list laid out by <see cref="Export"/>.</summary>
    public readonly struct RecordedStates(List<Tensor> all, int steps, int stages)
    {
        /// <summary>The state <c>y_n</c> after n steps (<c>y0</c> for n = 0).</summary>
        public Tensor State(int n) => all[n];

        /// <summary>Stage state <c>Y_i</c> (1 ≤ i &lt; s) of step <paramref name="step"/>.</summary>
        public Tensor Stage(int step, int i) => all[1 + steps + step * (stages - 1) + i - 1];
    }

    /// <summary>The step that produced output <paramref name="output"/> (≥ 1) and the fraction of it where the output lies.</summary>
    public (int Step, double Theta) OutputSource(int output) => _outputs[output];

    /// <summary>Number of output times, including the initial one.</summary>
    public int Outputs => _outputs.Length;

    /// <summary>
    /// Called by the recording method after an attempt: takes the handles of <paramref name="stages"/> (<c>Y_1 … Y_{s−1}</c>)
    /// and <paramref name="y1"/> out of the step's dispose scope; they are kept if the loop accepts the attempt.
    /// </summary>
    public void Attempted(Tensor[] stages, Tensor y1)
    {
        DisposePending();
        foreach (var y in stages) y.DetachFromDisposeScope();
        y1.DetachFromDisposeScope();
        (_pendingStages, _pendingEnd) = (stages, y1);
    }

    /// <inheritdoc />
    public override void OutputReached(int output, int step, double theta) => _outputs[output] = (step, theta);

    /// <inheritdoc />
    public override void StepAccepted(int steps, double t0, double h, Tensor y1, Tensor f1, double nextStepMagnitude)
    {
        _t0.Add(t0);
        _h.Add(h);
        _stages.Add(_pendingStages ?? throw new InvalidOperationException("The loop accepted a step whose stages were not recorded."));
        _ends.Add(_pendingEnd!);
        (_pendingStages, _pendingEnd) = (null, null);
    }

    /// <summary>Releases every recorded state.</summary>
    public void Dispose()
    {
        DisposePending();
        var disposed = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var stages in _stages)
            foreach (var y in stages) if (disposed.Add(y)) y.Dispose();
        foreach (var y in _ends) if (disposed.Add(y)) y.Dispose();
        _stages.Clear();
        _ends.Clear();
    }

    void DisposePending()
    {
        if (_pendingStages is null) return;
        // The end state of a first-same-as-last method is its last stage: one handle, disposed once.
        foreach (var y in _pendingStages) if (!ReferenceEquals(y, _pendingEnd)) y.Dispose();
        _pendingEnd?.Dispose();
        (_pendingStages, _pendingEnd) = (null, null);
    }
}
