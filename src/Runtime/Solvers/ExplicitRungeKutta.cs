using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The one explicit Runge–Kutta step, driven by a <see cref="ButcherTableau"/> (like torchdiffeq's rk_common.py).
/// Stages are combined with the fewest tensor ops: a chain of <c>add(x, k, alpha)</c> when a row has few non-zero
/// coefficients, one stacked matmul when it has many. Everything on the graph is out of place, so autograd can
/// backpropagate through the step.
/// </summary>
public class ExplicitRungeKutta : OneStepMethod
{
    // A chain costs one op per non-zero coefficient; the stacked path costs stack + matmul + add (+ two views and a
    // small host→device copy). Measured on CPU (1 thread, float64): the stack wins from ~6 terms on [64, 8] states
    // and from ~10 on [1024, 32] (the stack copies the stages); 8 is the compromise. Only DOP853 reaches it.
    const int StackThreshold = 8;

    readonly ConcurrentDictionary<(ScalarType, string), Tensor> _denseMatrices = new();

    /// <summary>Creates the method named <paramref name="name"/> from <paramref name="tableau"/>.</summary>
    public ExplicitRungeKutta(string name, ButcherTableau tableau)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        Name = name;
        Tableau = tableau;
    }

    /// <summary>The coefficients.</summary>
    public ButcherTableau Tableau { get; }

    /// <inheritdoc />
    public override string Name { get; }

    // DOP853's extra dense stages and combined two-estimate norm are not in the native integrator.
    // Made once: the native path pools its buffers per method instance (NativeBuffers), and every solve asks for it.
    internal override NodeDsl.Numerics.RungeKuttaTableau? PlainTableau
    {
        get
        {
            if (!plainTableauMade) (plainTableau, plainTableauMade) = (Tableau.Plain(), true);
            return plainTableau;
        }
    }

    NodeDsl.Numerics.RungeKuttaTableau? plainTableau;
    bool plainTableauMade;

    internal override bool StartsWithElementaryControl => true;

    /// <inheritdoc />
    public override int Order => Tableau.Order;

    /// <inheritdoc />
    public override int? ErrorOrder => Tableau.ErrorOrder;

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
        => Step(f, step, y0, f0, counters, estimateError: true, out _);

    /// <summary>As <see cref="Attempt"/>, also returning the stage rates <c>k</c> (for the stiffness estimate of <see cref="StiffnessSwitching"/>).</summary>
    internal StepAttempt AttemptWithStages(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters, out Tensor[] stages)
        => Step(f, step, y0, f0, counters, estimateError: true, out stages);

    /// <inheritdoc />
    public override StepAttempt Replay(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
        => Step(f, step, y0, f0, counters, estimateError: false, out _);

    /// <summary>
    /// The tableau whose stages <see cref="RecordingStages"/> can record for the discrete adjoint of the steps
    /// (<c>StageAdjoint</c>): every explicit method whose dense output uses only the step's own stages (not DOP853).
    /// </summary>
    internal override ButcherTableau? StageTableau => Tableau.DenseC.Count == 0 ? Tableau : null;

    /// <summary>A copy of this method for one solve that reports every attempt's stage states to <paramref name="tape"/>.</summary>
    internal override OneStepMethod? RecordingStages(StageTape tape)
    {
        if (StageTableau is null) return null;
        var copy = (ExplicitRungeKutta)MemberwiseClone();
        copy._tape = tape;
        return copy;
    }

    // Set only on the per-solve copy made by RecordingStages.
    StageTape? _tape;

    StepAttempt Step(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters, bool estimateError, out Tensor[] stages)
    {
        var tab = Tableau;
        int s = tab.Stages;
        var k = new Tensor[s];
        stages = k;
        k[0] = f0;
        var stageStates = _tape is null ? null : new Tensor[s - 1];
        Tensor? lastStage = null;
        for (int i = 1; i < s; i++)
        {
            var yi = Combine(y0, tab.A[i], k, i, step);
            k[i] = counters.Rates(f, step.Time(tab.C[i]), yi);
            lastStage = yi;
            if (stageStates is not null) stageStates[i - 1] = yi;
        }
        // FSAL: the last stage was evaluated at (t0 + h, y1), so y1 and f1 come for free.
        var y1 = tab.IsFsal ? lastStage! : Combine(y0, tab.B, k, s, step);
        var f1 = tab.IsFsal ? k[s - 1] : null;
        _tape?.Attempted(stageStates!, y1);

        Tensor? error = null, second = null;
        if (estimateError && tab.ErrorWeights is { } e)
        {
            // The estimate only feeds the controller: no graph needed.
            using var noGrad = torch.no_grad();
            error = ErrorCombination(e, k, step);
            if (tab.SecondErrorWeights is { } e2) second = ErrorCombination(e2, k, step);
        }
        var dense = tab.Dense is null ? null : new TableauDenseOutput(this, step, y0, k, f, counters);
        return new StepAttempt(y1) { ErrorEstimate = error, SecondErrorEstimate = second, F1 = f1, Dense = dense };
    }

    /// <summary><c>y0 + h Σ_j coefficients_j k_j</c> over the first <paramref name="count"/> stages.</summary>
    internal static Tensor Combine(Tensor y0, IReadOnlyList<double> coefficients, Tensor[] k, int count, StepPoint step)
    {
        int nonZero = 0;
        for (int j = 0; j < count; j++) if (coefficients[j] != 0) nonZero++;
        if (nonZero == 0) return y0.alias();
        if (nonZero >= StackThreshold)
        {
            var sum = WeightedSum(coefficients, k, count, y0);
            return step.AddScaled(y0, sum, 1.0);
        }
        Tensor? acc = null;
        for (int j = 0; j < count; j++)
        {
            if (coefficients[j] == 0) continue;
            acc = step.AddScaled(acc ?? y0, k[j], coefficients[j]);
        }
        return acc!;
    }

    // h Σ_j e_j k_j: the error estimate (without y0).
    static Tensor ErrorCombination(IReadOnlyList<double> e, Tensor[] k, StepPoint step)
    {
        int nonZero = e.Count(v => v != 0);
        if (nonZero >= StackThreshold) return step.Scale(WeightedSum(e, k, k.Length, k[0]), 1.0);
        Tensor? acc = null;
        for (int j = 0; j < k.Length; j++)
        {
            if (e[j] == 0) continue;
            acc = acc is null ? step.Scale(k[j], e[j]) : step.AddScaled(acc, k[j], e[j]);
        }
        return acc!;
    }

    // Σ_j w_j k_j as one matrix product of the weight row with the stacked stages (mm: TorchSharp's matmul does not
    // catch libtorch's errors, e.g. out of memory, and would end the process).
    static Tensor WeightedSum(IReadOnlyList<double> w, Tensor[] k, int count, Tensor like)
    {
        var stacked = torch.stack(k.AsSpan(0, count).ToArray()).view(count, -1);
        var weights = new double[count];
        for (int j = 0; j < count; j++) weights[j] = w[j];
        // A host→device copy of a few doubles; cheaper than one add per stage.
        var row = torch.tensor(weights, new long[] { 1, count }, like.dtype, like.device);
        return row.mm(stacked).view(like.shape);
    }

    /// <summary>The dense-output matrix <c>[degree, stages]</c> on a device/dtype (cached: created once).</summary>
    internal Tensor DenseMatrix(ScalarType dtype, Device device)
        => _denseMatrices.GetOrAdd((dtype, device.ToString()), _ =>
        {
            var d = Tableau.Dense!;
            int s = d.Count, degree = d.Max(r => r.Length);
            var m = new double[degree * s];
            for (int j = 0; j < s; j++)
                for (int p = 0; p < d[j].Length; p++)
                    m[p * s + j] = d[j][p];
            // Lives as long as the method (a few doubles), outside every dispose scope.
            return torch.tensor(m, new long[] { degree, s }, dtype, device).DetachFromDisposeScope();
        });
}
