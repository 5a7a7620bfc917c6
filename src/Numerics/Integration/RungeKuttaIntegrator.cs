using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// Called at an output time by a solve that stops there (the backsolve adjoint): may change the state in place (the
/// augmented state's y restarts from the forward value, a gains ∂L/∂y(t_i)). The rates are evaluated afresh afterwards.
/// </summary>
public interface IOutputJump<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Changes <paramref name="y"/> at output <paramref name="output"/> (index into the solve's times).</summary>
    void Jump(int output, Span<T> y);
}

/// <summary>
/// The whole solve of an explicit Runge–Kutta method over flat spans, mirroring the runtime's TorchSharp step driver in
/// batch mode step for step (same stretch of the last step, starting step, error weights, controller calls, non-finite and
/// underflow checks, evaluation counts) so both take the same steps: fixed steps or adaptive steps with one weighted RMS
/// error norm over the batch, dense output at any output times (the tableau's continuous extension or the cubic Hermite
/// interpolant), first-same-as-last stages reused. Buffers are allocated once per integrator; a solve allocates nothing
/// per step (a <see cref="StepTape{T}"/> grows by doubling).
/// </summary>
public sealed class RungeKuttaIntegrator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The runtime driver's constants (StepDriver): Hairer's 1% stretch of the last adaptive step, round-off slack for fixed
    // steps, and the smallest step that still moves a double time.
    const double AdaptiveStretch = 1.01;
    const double FixedStretch = 1 + 1e-9;
    const double MachineEpsilon = 2.220446049250313e-16;

    readonly T[][] k;
    readonly T[][] stageStates;
    T[] y, y1, fNext;
    readonly T[] error, scale;
    readonly double[] weights;
    // During a solve that records its evaluations on a tape: the field and the tape.
    IRecordingVectorField<T>? recorder;
    StepTape<T>? recordTape;

    /// <summary>An integrator of <paramref name="tableau"/> for states of <paramref name="length"/> values.</summary>
    public RungeKuttaIntegrator(RungeKuttaTableau tableau, int length)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Tableau = tableau;
        Length = length;
        int s = tableau.Stages;
        k = new T[s][];
        stageStates = new T[s][];
        for (int i = 0; i < s; i++) (k[i], stageStates[i]) = (new T[length], new T[length]);
        (y, y1, fNext, error, scale) = (new T[length], new T[length], new T[length], new T[length], new T[length]);
        weights = new double[s];
    }

    /// <summary>The method.</summary>
    public RungeKuttaTableau Tableau { get; }

    /// <summary>Values of the state.</summary>
    public int Length { get; }

    /// <summary>Evaluations of the field in the last solve (each on the whole state).</summary>
    public int Evaluations { get; private set; }

    /// <summary>Accepted steps of the last solve.</summary>
    public int AcceptedSteps { get; private set; }

    /// <summary>Rejected steps of the last solve.</summary>
    public int RejectedSteps { get; private set; }

    /// <summary>The controller's last proposal (step magnitude) in the last solve.</summary>
    public double NextStep { get; private set; }

    /// <summary>
    /// Solves from <c>times[0]</c> through every output time and writes the states there into <paramref name="outputs"/>
    /// (<c>[times.Length, Length]</c>; row 0 is <paramref name="y0"/>).
    /// </summary>
    /// <param name="field">The vector field.</param>
    /// <param name="y0">Initial state.</param>
    /// <param name="times">Output times, strictly monotone (checked by the runtime).</param>
    /// <param name="settings">Tolerances, step bounds, limits.</param>
    /// <param name="control">The step-size controller (ignored by fixed-step methods).</param>
    /// <param name="outputs">The states at the output times.</param>
    /// <param name="tape">Records the accepted steps for the discrete adjoint, or null.</param>
    /// <param name="jump">Stops at every output time and lets it change the state (backsolve), or null.</param>
    /// <exception cref="IntegrationFailureException">Non-finite state, step-size underflow or too many steps.</exception>
    public void Solve(IVectorField<T> field, ReadOnlySpan<T> y0, ReadOnlySpan<double> times, IntegrationSettings settings, IStepControl control,
                      Span<T> outputs, StepTape<T>? tape = null, IOutputJump<T>? jump = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(control);
        int n = Length, count = times.Length;
        if (field.Length != n || y0.Length != n || outputs.Length != count * n)
            throw new ArgumentException($"The field, y0 ({y0.Length}) and outputs ({outputs.Length}) must fit states of {n} values and {count} output times.");
        Evaluations = AcceptedSteps = RejectedSteps = 0;
        // Records go on the tape when it keeps them and the field makes them (of the tape's length).
        recorder = tape is { RecordLength: > 0 } && field is IRecordingVectorField<T> r && r.RecordLength == tape.RecordLength ? r : null;
        recordTape = recorder is null ? null : tape;
        tape?.Clear(record: recorder is not null);
        try
        {
            Integrate(field, y0, times, settings, control, outputs, tape, jump);
        }
        finally
        {
            (recorder, recordTape) = (null, null);
        }
    }

    void Integrate(IVectorField<T> field, ReadOnlySpan<T> y0, ReadOnlySpan<double> times, IntegrationSettings settings, IStepControl control,
                   Span<T> outputs, StepTape<T>? tape, IOutputJump<T>? jump)
    {
        int n = Length, count = times.Length, s = Tableau.Stages;
        bool adaptive = Tableau.IsAdaptive, fsal = Tableau.IsFsal;
        double tEnd = times[^1], direction = Math.Sign(tEnd - times[0]), t = times[0];
        y0.CopyTo(y);
        y0.CopyTo(outputs[..n]);
        Rates(field, t, y, k[0], 0, 0);
        double hMagnitude = adaptive
            ? settings.FirstStep is { } given ? Math.Min(given, settings.MaxStep) : InitialStep(field, t, direction, Math.Abs(tEnd - t), settings)
            : settings.StepSize ?? throw new ArgumentException("A fixed-step method needs IntegrationSettings.StepSize.", nameof(settings));
        List<long>? blownUpRows = null;
        int next = 1;
        while (next < count)
        {
            if (AcceptedSteps + RejectedSteps >= settings.MaxSteps)
                throw Failure(IntegrationFailureKind.MaxStepsExceeded, t, 0, [], settings.MaxSteps, tEnd);
            // With jumps the solve stops at every output time (the state changes there); otherwise only at the end.
            double target = jump is null ? tEnd : times[next];
            bool last = Math.Abs(target - t) <= hMagnitude * (adaptive ? AdaptiveStretch : FixedStretch);
            double h = last ? target - t : direction * hMagnitude;
            double t1 = last ? target : t + h;
            bool jumps = jump is not null && last && next < count - 1;
            if (t1 == t || Math.Abs(h) < 4 * MachineEpsilon * Math.Abs(t))
                throw blownUpRows is { Count: > 0 }
                    ? Failure(IntegrationFailureKind.NonFiniteState, t, h, blownUpRows, 0, tEnd)
                    : Failure(IntegrationFailureKind.StepSizeUnderflow, t, h, [], 0, tEnd);

            Attempt(field, t, h, adaptive);
            double norm = 0;
            if (adaptive) norm = ErrorNorm(settings);
            else if (!T.IsFinite(Sum(y1)) && NonFiniteRows(field.Rows, y1) is { Count: > 0 } rows)
                throw Failure(IntegrationFailureKind.NonFiniteState, t, h, rows, 0, tEnd);
            if (!double.IsFinite(norm))
            {
                // A non-finite state or rate at the accepted point cannot be fixed by a smaller step.
                if (NonFiniteRows(field.Rows, y, k[0]) is { Count: > 0 } bad) throw Failure(IntegrationFailureKind.NonFiniteState, t, h, bad, 0, tEnd);
                blownUpRows = NonFiniteRows(field.Rows, y1, error);
            }
            bool accept = adaptive ? control.Decide(Math.Abs(h), norm, out double proposal) : Fixed(hMagnitude, out proposal);
            if (accept)
            {
                blownUpRows = null;
                bool haveF1 = fsal;
                for (; next < count && ((last && jump is null) || direction * (times[next] - t1) <= 0); next++)
                {
                    double theta = (times[next] - t) / h;
                    var output = outputs.Slice(next * n, n);
                    if (theta == 1) y1.CopyTo(output);
                    else if (Tableau.Dense is not null) DenseOutput(theta, h, output);
                    else
                    {
                        if (!haveF1) { Rates(field, t1, y1, fNext, AcceptedSteps + 1, 0); haveF1 = true; }
                        Hermite(theta, h, fsal ? k[s - 1] : fNext, output);
                    }
                    tape?.Output(next, theta);
                }
                var f1 = fsal ? k[s - 1] : fNext;
                if (jumps)
                {
                    jump!.Jump(next - 1, y1);
                    Rates(field, t1, y1, f1, AcceptedSteps + 1, 0);
                }
                else if (!haveF1) Rates(field, t1, y1, f1, AcceptedSteps + 1, 0);
                tape?.Accepted(t, h, y, stageStates);
                (y, y1) = (y1, y);
                if (fsal) (k[0], k[s - 1]) = (k[s - 1], k[0]);
                else (k[0], fNext) = (fNext, k[0]);
                t = t1;
                AcceptedSteps++;
            }
            else RejectedSteps++;
            hMagnitude = proposal;
        }
        NextStep = hMagnitude;
        if (tape is not null)
        {
            y.CopyTo(tape.Final, 0);
            tape.FinalTime = t;
        }
    }

    static bool Fixed(double h, out double next)
    {
        next = h;
        return true;
    }

    /// <summary>
    /// The stages of one step from <c>(t, y)</c> with <c>k[0] = f(t, y)</c> already set: fills the stage states and rates,
    /// <c>y1</c> and (when <paramref name="estimate"/>) the error <c>h Σ e_j k_j</c>.
    /// </summary>
    void Attempt(IVectorField<T> field, double t, double h, bool estimate)
    {
        var tab = Tableau;
        int s = tab.Stages;
        for (int i = 1; i < s; i++)
        {
            Combine(y, tab.A[i], i, h, stageStates[i]);
            Rates(field, t + tab.C[i] * h, stageStates[i], k[i], AcceptedSteps, i);
        }
        Combine(y, tab.B, s, h, y1);
        if (estimate) ErrorCombination(tab.ErrorWeights!, h);
    }

    /// <summary>Recomputes the stage states of a step from its start (the checkpointed adjoint): <c>k[0]</c> is evaluated here.</summary>
    internal void Replay(IVectorField<T> field, double t, double h, ReadOnlySpan<T> start)
    {
        start.CopyTo(y);
        Rates(field, t, y, k[0]);
        var tab = Tableau;
        for (int i = 1; i < tab.Stages; i++)
        {
            Combine(y, tab.A[i], i, h, stageStates[i]);
            Rates(field, t + tab.C[i] * h, stageStates[i], k[i]);
        }
    }

    /// <summary>Stage state <c>Y_j</c> of the last <see cref="Replay"/>.</summary>
    internal ReadOnlySpan<T> ReplayedStage(int j) => stageStates[j];

    // target = y0 + h Σ_{j<count} w_j k_j, one multiply-add per non-zero coefficient in stage order (as the TorchSharp
    // path's chain of add(x, k, alpha), so both round alike).
    void Combine(ReadOnlySpan<T> start, IReadOnlyList<double> w, int count, double h, Span<T> target)
    {
        start.CopyTo(target);
        for (int j = 0; j < count; j++)
        {
            if (w[j] == 0) continue;
            T alpha = T.CreateTruncating(w[j] * h);
            var kj = k[j];
            for (int i = 0; i < target.Length; i++) target[i] += alpha * kj[i];
        }
    }

    void ErrorCombination(double[] e, double h)
    {
        bool first = true;
        for (int j = 0; j < e.Length; j++)
        {
            if (e[j] == 0) continue;
            T alpha = T.CreateTruncating(e[j] * h);
            var kj = k[j];
            if (first) for (int i = 0; i < error.Length; i++) error[i] = alpha * kj[i];
            else for (int i = 0; i < error.Length; i++) error[i] += alpha * kj[i];
            first = false;
        }
    }

    // RMS of error / (atol + rtol·max(|y0|, |y1|)) over the whole state (Hairer, Nørsett & Wanner I, II.4).
    double ErrorNorm(IntegrationSettings settings)
    {
        Weights(settings, y, y1, scale);
        T sum = T.Zero;
        for (int i = 0; i < error.Length; i++)
        {
            T r = error[i] / scale[i];
            sum += r * r;
        }
        return double.CreateTruncating(T.Sqrt(sum / T.CreateTruncating(error.Length)));
    }

    // atol + rtol·max(|a|, |b|) (b may be empty: atol + rtol·|a|), with per-component tolerances repeating over the rows.
    static void Weights(IntegrationSettings o, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> w)
    {
        var rs = o.RelativeTolerances;
        var ats = o.AbsoluteTolerances;
        T rtol = T.CreateTruncating(o.RelativeTolerance), atol = T.CreateTruncating(o.AbsoluteTolerance);
        for (int i = 0; i < w.Length; i++)
        {
            T magnitude = b.IsEmpty ? T.Abs(a[i]) : T.Max(T.Abs(a[i]), T.Abs(b[i]));
            T r = rs is null ? rtol : T.CreateTruncating(rs[i % rs.Length]);
            T at = ats is null ? atol : T.CreateTruncating(ats[i % ats.Length]);
            w[i] = magnitude * r + at;
        }
    }

    // Hairer's starting step (Hairer, Nørsett & Wanner I, II.4; the runtime's InitialStepSize in batch mode); one evaluation.
    double InitialStep(IVectorField<T> field, double t0, double direction, double span, IntegrationSettings settings)
    {
        Weights(settings, y, default, scale);
        double d0 = Rms(y, default), d1 = Rms(k[0], default);
        if (!double.IsFinite(d0) || !double.IsFinite(d1))
            throw Failure(IntegrationFailureKind.NonFiniteState, t0, 0, NonFiniteRows(field.Rows, y, k[0]), 0, t0 + direction * span);
        double h0 = Math.Min(d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1, span);
        double h = direction * h0;
        T alpha = T.CreateTruncating(h);
        var probe = y1;
        for (int i = 0; i < probe.Length; i++) probe[i] = y[i] + alpha * k[0][i];
        Rates(field, t0 + h, probe, fNext);
        double d2 = Rms(fNext, k[0]) / h0, dMax = Math.Max(d1, d2);
        double h1 = !double.IsFinite(d2) ? h0
            : dMax <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3)
            : Math.Pow(0.01 / dMax, 1.0 / (Tableau.ErrorOrder!.Value + 1));
        return Math.Min(Math.Min(100 * h0, h1), Math.Min(span, settings.MaxStep));
    }

    // RMS of (x − minus) / scale.
    double Rms(ReadOnlySpan<T> x, ReadOnlySpan<T> minus)
    {
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            T r = (minus.IsEmpty ? x[i] : x[i] - minus[i]) / scale[i];
            sum += r * r;
        }
        return double.CreateTruncating(T.Sqrt(sum / T.CreateTruncating(x.Length)));
    }

    // y0 + h Σ_j b_j(θ) k_j with the tableau's continuous extension.
    void DenseOutput(double theta, double h, Span<T> output)
    {
        Tableau.DenseWeights(theta, weights);
        Combine(y, weights, Tableau.Stages, h, output);
    }

    // Cubic Hermite interpolant through y0, f0, y1, f1 (in the TorchSharp path's order of operations).
    void Hermite(double theta, double h, ReadOnlySpan<T> f1, Span<T> output)
    {
        var (h00, h10, h01, h11) = HermiteBasis(theta);
        T a = T.CreateTruncating(h00), b = T.CreateTruncating(h01), c = T.CreateTruncating(h * h10), d = T.CreateTruncating(h * h11);
        var f0 = k[0];
        for (int i = 0; i < output.Length; i++) output[i] = y[i] * a + b * y1[i] + c * f0[i] + d * f1[i];
    }

    /// <summary>The cubic Hermite basis <c>(h00, h10, h01, h11)</c> at <paramref name="t"/>.</summary>
    internal static (double H00, double H10, double H01, double H11) HermiteBasis(double t)
    {
        double t2 = t * t, t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1, t3 - 2 * t2 + t, -2 * t3 + 3 * t2, t3 - t2);
    }

    void Rates(IVectorField<T> field, double t, ReadOnlySpan<T> state, Span<T> f)
    {
        Evaluations++;
        field.Rates(t, state, f);
    }

    // An evaluation at stage `stage` of step `step` (the step's index on the tape), recorded there when the solve records.
    void Rates(IVectorField<T> field, double t, ReadOnlySpan<T> state, Span<T> f, int step, int stage)
    {
        var record = recordTape is null ? default : recordTape.RecordSlot(step, stage);
        if (record.IsEmpty) Rates(field, t, state, f);
        else
        {
            Evaluations++;
            recorder!.RecordRates(t, state, f, record);
        }
    }

    static T Sum(ReadOnlySpan<T> x)
    {
        T sum = T.Zero;
        foreach (var v in x) sum += v;
        return sum;
    }

    /// <summary>Rows (of <paramref name="rows"/> equal rows) where any of the spans holds NaN or ±∞, ascending.</summary>
    internal static List<long> NonFiniteRows(int rows, params T[][] spans)
    {
        var bad = new List<long>();
        int width = spans[0].Length / rows;
        for (int r = 0; r < rows; r++)
        {
            bool finite = true;
            foreach (var s in spans)
                for (int i = r * width; i < (r + 1) * width && finite; i++) finite = T.IsFinite(s[i]);
            if (!finite) bad.Add(r);
        }
        return bad;
    }

    static IntegrationFailureException Failure(IntegrationFailureKind kind, double t, double h, IReadOnlyList<long> rows, int maxSteps, double tEnd)
        => new(kind, t, h, rows, maxSteps, tEnd);
}
