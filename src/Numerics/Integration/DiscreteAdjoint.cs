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
    /// with <paramref name="replay"/> (the integrator that recorded it).
    /// </summary>
    public void Backpropagate(IVectorFieldVjp<T> field, StepTape<T> tape, ReadOnlySpan<T> gradOutputs, Span<T> gradY0, RungeKuttaIntegrator<T>? replay = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(tape);
        if (!tape.StoresStages && replay is null)
            throw new ArgumentException("A tape without stage states needs the integrator that recorded it to replay the steps.", nameof(replay));
        int n = yBar.Length, s = tab.Stages;
        VjpEvaluations = 0;
        Array.Clear(yBar);
        var outputs = tape.Outputs;
        int o = outputs.Count - 1;
        for (int step = tape.Count - 1; step >= 0; step--)
        {
            double t = tape.Time(step), h = tape.Step(step);
            var start = tape.Start(step);
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
                    for (int j = 0; j < s; j++) AddStage(j, weights[j] * h, g);
                }
                else
                {
                    // y(θ) = h00 y0 + h01 y1 + h·h10 f0 + h·h11 f(t1, y1)
                    var (h00, h10, h01, h11) = RungeKuttaIntegrator<T>.HermiteBasis(theta);
                    Axpy(T.CreateTruncating(h00), g, y0Extra);
                    Axpy(T.CreateTruncating(h01), g, yBar);
                    AddStage(0, h * h10, g);
                    if (!hermiteEnd) Array.Clear(f1Bar);
                    Axpy(T.CreateTruncating(h * h11), g, f1Bar);
                    hermiteEnd = true;
                }
            }
            if (hermiteEnd)
            {
                var end = step + 1 < tape.Count ? tape.Start(step + 1) : tape.Final;
                Vjp(field, t + h, end, f1Bar);
                Axpy(T.One, vjp, yBar);
            }
            // y1 = y0 + h Σ b_j k_j: ȳ0 = ȳ1 (+ the dense outputs' direct part), k̄_j += h b_j ȳ1.
            for (int j = 0; j < s; j++) AddStage(j, tab.B[j] * h, yBar);
            Axpy(T.One, y0Extra, yBar);
            for (int i = s - 1; i >= 0; i--)
            {
                if (!touched[i]) continue;
                var stage = i == 0 ? start : tape.StoresStages ? tape.Stage(step, i) : replay!.ReplayedStage(i);
                Vjp(field, t + tab.C[i] * h, stage, kBar[i]);
                // Y_i = y0 + h Σ_{j<i} a_ij k_j
                Axpy(T.One, vjp, yBar);
                for (int j = 0; j < i; j++) AddStage(j, tab.A[i][j] * h, vjp);
            }
        }
        Axpy(T.One, gradOutputs[..n], yBar);
        yBar.CopyTo(gradY0);
    }

    void AddStage(int j, double coefficient, ReadOnlySpan<T> g)
    {
        if (coefficient == 0) return;
        Axpy(T.CreateTruncating(coefficient), g, kBar[j]);
        touched[j] = true;
    }

    void Vjp(IVectorFieldVjp<T> field, double t, ReadOnlySpan<T> y, ReadOnlySpan<T> a)
    {
        VjpEvaluations++;
        field.Vjp(t, y, a, vjp);
    }

    static void Axpy(T alpha, ReadOnlySpan<T> x, Span<T> target)
    {
        for (int i = 0; i < target.Length; i++) target[i] += alpha * x[i];
    }
}
