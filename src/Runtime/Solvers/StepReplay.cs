using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Redoes steps <c>[first, end)</c> of a logged solve (<see cref="StepLog"/>) from the state and rates after step
/// <c>first</c>, with the same <c>(t0, h)</c>, the same method and the same dense output, so each result is the forward
/// solve's value computed again, now with whatever autograd graph the inputs carry. No step-size control, no rejected
/// attempts, no error estimates, no host syncs.
/// </summary>
internal static class StepReplay
{
    /// <summary>What a replay computed: the outputs its steps produced, and the state and rates after its last step.</summary>
    /// <param name="Outputs">(output index, value) in output order.</param>
    /// <param name="Y">State after the last replayed step.</param>
    /// <param name="F">Rates there; null unless asked for (<c>withEndRates</c>) or free (first same as last).</param>
    public sealed record Result(List<(int Output, Tensor Value)> Outputs, Tensor Y, Tensor? F);

    /// <summary>Replays the steps; tensors are created in the caller's dispose scope.</summary>
    /// <param name="y">State after <paramref name="first"/> steps (y0 for 0).</param>
    /// <param name="f">Rates at <paramref name="y"/>, as the forward solve had them.</param>
    /// <param name="withEndRates">Also return the rates after the last step (evaluated if the method does not supply them).</param>
    public static Result Run(OneStepMethod method, IOdeSystem system, Tensor y, Tensor f, StepLog log, int first, int end,
        SolverOptions options, SolveCounters counters, bool withEndRates)
    {
        var m = method.ForSolve(options);
        var outputs = new List<(int, Tensor)>();
        int output = FirstOutputAtOrAfter(log, first);
        Tensor? fNext = f;
        for (int j = first; j < end; j++)
        {
            using var step = StepPoint.Shared(log.T0(j), log.H(j), y.dtype, y.device);
            var attempt = m.Replay(system, step, y, fNext!, counters);
            var y1 = attempt.Y1;
            var f1 = attempt.F1;
            var dense = attempt.Dense;
            for (; output < log.Outputs && log.OutputSource(output).Step == j; output++)
            {
                double theta = log.OutputSource(output).Theta;
                var value = theta == 1 ? y1.alias()
                    : (dense ??= new HermiteDenseOutput(step, y, fNext!, y1, f1 ??= counters.Rates(system, step.Time(1.0), y1))).At(theta);
                outputs.Add((output, value));
            }
            if (j + 1 < end || withEndRates) f1 ??= counters.Rates(system, step.Time(1.0), y1);
            // The method's end-of-step hook (implicit methods release their Jacobian there); it needs f1.
            if (f1 is not null) m.Accepted(step, new StepAttempt(y1) { F1 = f1 }, null);
            (y, fNext) = (y1, f1);
        }
        return new Result(outputs, y, fNext);
    }

    static int FirstOutputAtOrAfter(StepLog log, int step)
    {
        for (int k = 1; k < log.Outputs; k++)
            if (log.OutputSource(k).Step >= step) return k;
        return log.Outputs;
    }
}
