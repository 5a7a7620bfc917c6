using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// The exact gradient of a native solve's discrete solution (discretise-then-optimise; what backpropagation through the
/// TorchSharp solver computes): a reverse sweep over the accepted steps of a <see cref="StepTape{T}"/> that transposes
/// each explicit Runge–Kutta step, <c>Y_i = y0 + h Σ_{j&lt;i} a_ij k_j</c>, <c>k_i = f(t0 + c_i h, Y_i)</c>,
/// <c>y1 = y0 + h Σ b_j k_j</c>, and each dense output, with one vector–Jacobian product of the field per stage
/// (Hairer, Nørsett &amp; Wanner; the adjoint RK scheme of Sandu 2006). Step sizes and accept/reject decisions are
/// constants, as in torchdiffeq's and diffrax's direct differentiation.
/// </summary>
public sealed class DiscreteAdjoint<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly RungeKuttaTableau tab;
    readonly T[][] kBar;
    readonly bool[] touched;
    readonly T[] yBar, y0Extra, f1Bar, vjp;
    readonly double[] weights;

    /// <summary>An adjoint sweep of <paramref name="tableau"/> for states of <paramref name="length"/> values.</summary>
    public DiscreteAdjoint(RungeKuttaTableau tableau, int length)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        tab = tableau;
        int s = tableau.Stages;
        kBar = new T[s][];
        for (int i = 0; i < s; i++) kBar[i] = new T[length];
        touched = new bool[s];
        (yBar, y0Extra, f1Bar, vjp) = (new T[length], new T[length], new T[length], new T[length]);
        weights = new double[s];
    }

    /// <summary>Vector–Jacobian products evaluated by the last sweep.</summary>
    public int VjpEvaluations { get; private set; }

    /// <summary>
    /// Propagates the cotangents of the outputs (<c>[times, Length]</c>, row 0 that of <c>y0</c> itself) back to
    /// <paramref name="gradY0"/>; the field accumulates the parameter gradients. A tape without stages is replayed step by step
    /// with <paramref name="replay"/> (the integrator that recorded it). Where the tape kept the evaluations' records
    /// (<see cref="IRecordingVectorField{T}"/>), each VJP starts from its point's record instead of evaluating the field again.
    /// </summary>
    public void Backpropagate(IVectorFieldVjp<T> field, StepTape<T> tape, ReadOnlySpan<T> gradOutputs, Span<T> gradY0, RungeKuttaIntegrator<T>? replay = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(tape);
        if (!tape.StoresStages && replay is null)
            throw new ArgumentException("A tape without stage states needs the integrator that recorded it to replay the steps.", nameof(replay));
        int n = yBar.Length, s = tab.Stages;
        var recorder = tape.Recorded && field is IRecordingVectorField<T> r && r.RecordLength == tape.RecordLength ? r : null;
        VjpEvaluations = 0;
        Array.Clear(yBar);
        var outputs = tape.Outputs;
        int o = outputs.Count - 1;
        for (int step = tape.Count - 1; step >= 0; step--)
        {
            double t = tape.Time(step), h = tape.Step(step);
            var start = tape.Start(step);
            // Only the last step's end is no later step's start: its f(t1, y1) terms get a VJP of their own; every other
            // step's were folded into the next step's stage-0 VJP (below).
            bool lastStep = step == tape.Count - 1;
            if (!tape.StoresStages) replay!.Replay(field, t, h, start);
            foreach (var kb in kBar) Array.Clear(kb);
            Array.Clear(touched);
            Array.Clear(y0Extra);
            bool hermiteEnd = false;
            for (; o >= 0 && outputs[o].Step == step; o--)
            {
                var (index, _, theta) = outputs[o];
                var g = gradOutputs.Slice(index * n, n);
                if (theta == 1) Axpy(T.One, g, yBar);
                else if (tab.Dense is not null)
                {
                    // y(θ) = y0 + h Σ b_j(θ) k_j
                    Axpy(T.One, g, y0Extra);
                    tab.DenseWeights(theta, weights);
                    for (int j = 0; j < s; j++)
                        if (lastStep || !(tab.IsFsal && j == s - 1)) AddStage(j, weights[j] * h, g);
                }
                else
                {
                    // y(θ) = h00 y0 + h01 y1 + h·h10 f0 + h·h11 f(t1, y1)
                    var (h00, h10, h01, h11) = RungeKuttaIntegrator<T>.HermiteBasis(theta);
                    Axpy(T.CreateTruncating(h00), g, y0Extra);
                    Axpy(T.CreateTruncating(h01), g, yBar);
                    AddStage(0, h * h10, g);
                    if (!lastStep) continue;
                    if (!hermiteEnd) Array.Clear(f1Bar);
                    Axpy(T.CreateTruncating(h * h11), g, f1Bar);
                    hermiteEnd = true;
                }
            }
            if (hermiteEnd)
            {
                // At the time the forward solve evaluated f(t1, y1): its last stage's (first same as last) or the end's.
                Vjp(field, recorder, tab.IsFsal ? t + h : tape.FinalTime, tape.Final, f1Bar, Record(recorder, tape, step + 1, 0));
                Axpy(T.One, vjp, yBar);
            }
            if (step > 0) FoldEndOfPreviousStep(tape, step - 1, o, gradOutputs);
            // y1 = y0 + h Σ b_j k_j: ȳ0 = ȳ1 (+ the dense outputs' direct part), k̄_j += h b_j ȳ1.
            for (int j = 0; j < s; j++) AddStage(j, tab.B[j] * h, yBar);
            Axpy(T.One, y0Extra, yBar);
            for (int i = s - 1; i >= 0; i--)
            {
                if (!touched[i]) continue;
                var stage = i == 0 ? start : tape.StoresStages ? tape.Stage(step, i) : replay!.ReplayedStage(i);
                Vjp(field, recorder, t + tab.C[i] * h, stage, kBar[i], Record(recorder, tape, step, i));
                // Y_i = y0 + h Σ_{j<i} a_ij k_j
                Axpy(T.One, vjp, yBar);
                for (int j = 0; j < i; j++) AddStage(j, tab.A[i][j] * h, vjp);
            }
        }
        Axpy(T.One, gradOutputs[..n], yBar);
        yBar.CopyTo(gradY0);
    }

    /// <summary>
    /// The terms of step <paramref name="previous"/>'s outputs (from index <paramref name="o"/> down) that are rates at its
    /// end point (t1, y1), which is this step's start: the Hermite interpolant's <c>h·h11·f(t1, y1)</c> and, for a
    /// first-same-as-last method, the last stage's <c>h·b_{s−1}(θ)·k_{s−1}</c> (its state equals y1: <c>a_{s−1,j} = b_j</c>, so its
    /// cotangent may enter through y1). The VJP is linear in the cotangent, so they join this step's stage-0 cotangent and
    /// share its VJP: one VJP fewer per step with such outputs, the same gradient up to rounding.
    /// </summary>
    void FoldEndOfPreviousStep(StepTape<T> tape, int previous, int o, ReadOnlySpan<T> gradOutputs)
    {
        int n = yBar.Length, s = tab.Stages;
        var outputs = tape.Outputs;
        double h = tape.Step(previous);
        for (; o >= 0 && outputs[o].Step == previous; o--)
        {
            var (index, _, theta) = outputs[o];
            if (theta == 1) continue;
            var g = gradOutputs.Slice(index * n, n);
            if (tab.Dense is null) AddStage(0, h * RungeKuttaIntegrator<T>.HermiteBasis(theta).H11, g);
            else if (tab.IsFsal)
            {
                tab.DenseWeights(theta, weights);
                AddStage(0, weights[s - 1] * h, g);
            }
        }
    }

    // The record of stage `stage` of step `step`, or empty; a first-same-as-last method's stage 0 after the first step is the
    // previous step's last stage (the same evaluation).
    ReadOnlySpan<T> Record(IRecordingVectorField<T>? recorder, StepTape<T> tape, int step, int stage)
    {
        if (recorder is null) return default;
        return stage == 0 && step > 0 && tab.IsFsal ? tape.Record(step - 1, tab.Stages - 1) : tape.Record(step, stage);
    }

    void AddStage(int j, double coefficient, ReadOnlySpan<T> g)
    {
        if (coefficient == 0) return;
        Axpy(T.CreateTruncating(coefficient), g, kBar[j]);
        touched[j] = true;
    }

    void Vjp(IVectorFieldVjp<T> field, IRecordingVectorField<T>? recorder, double t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, ReadOnlySpan<T> record)
    {
        VjpEvaluations++;
        if (record.IsEmpty) field.Vjp(t, y, a, vjp);
        else recorder!.VjpFromRecord(t, y, a, record, vjp);
    }

    static void Axpy(T alpha, ReadOnlySpan<T> x, Span<T> target)
    {
        for (int i = 0; i < target.Length; i++) target[i] += alpha * x[i];
    }
}
