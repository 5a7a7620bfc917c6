using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Declares that a system's rates treat every row on its own and keep no per-row state (no per-trajectory inputs, no
/// reductions over the batch), so they may be evaluated on any number of rows with per-row times: <c>y: [k·batch, n]</c>,
/// <c>t: [k·batch, 1]</c>. Implicit methods then evaluate all stages of a Newton iteration in one call instead of one call
/// per stage (per-call overhead dominates small systems). Do not implement it for a system whose result for one row
/// depends on the batch it is evaluated in.
/// </summary>
public interface IRowIndependentRates : IOdeSystem { }

/// <summary>A delegate vector field that declares <see cref="IRowIndependentRates"/>: each row's rates depend only on its own <c>t</c> and <c>y</c>.</summary>
public sealed class RowIndependentOdeSystem(OdeFunc rates) : IRowIndependentRates
{
    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y) => rates(t, y);
}

/// <summary>
/// Evaluates the rates at all stages of one implicit step, <c>[s, batch, n] → [s, batch, n]</c>: one call on the stacked
/// stages for an <see cref="IRowIndependentRates"/> system, one call per stage otherwise.
/// </summary>
internal sealed class StageRates
{
    readonly IOdeSystem _f;
    readonly Tensor[] _times;
    readonly Tensor? _stackedTime;

    public StageRates(IOdeSystem f, StepPoint step, IReadOnlyList<double> c, long batch)
    {
        _f = f;
        if (f is IRowIndependentRates)
        {
            // Row (i, b) runs at t0_b + cᵢ h_b: one host-built [s·batch, 1] tensor per step.
            var t = new double[c.Count * batch];
            for (int i = 0; i < c.Count; i++)
                for (long b = 0; b < batch; b++)
                    t[i * batch + b] = step.IsPerTrajectory ? step.RowTimes[(int)b] + c[i] * step.RowSteps[(int)b] : step.SharedTime + c[i] * step.SharedStep;
            _stackedTime = torch.tensor(t, new long[] { t.Length, 1 }, step.Dtype, step.Device);
            _times = [];
        }
        else _times = [.. c.Select(step.Time)];
    }

    /// <summary>The rates at <c>stages</c> (<c>[s, batch, n]</c>), as <c>[s, batch, n]</c>; counts one evaluation per call made.</summary>
    public Tensor Evaluate(Tensor stages, SolveCounters counters)
    {
        if (_stackedTime is not null)
            return counters.Rates(_f, _stackedTime, stages.reshape(-1, stages.shape[2])).view(stages.shape);
        var rates = new Tensor[_times.Length];
        for (int i = 0; i < rates.Length; i++) rates[i] = counters.Rates(_f, _times[i], stages[i]);
        return torch.stack(rates);
    }
}
