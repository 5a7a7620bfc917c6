using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

internal sealed partial class StepDriver
{
    /// <summary>
    /// How the loop turns an attempt into lanes' error norms and merges the accepted lanes: the policy behind
    /// <see cref="ErrorNorm"/>. The loop itself (max steps, underflow, attempt, non-finite checks, controller decisions,
    /// bookkeeping, observers) is the same for every policy.
    /// </summary>
    abstract class ErrorControl(StepDriver driver)
    {
        protected StepDriver Driver { get; } = driver;

        /// <summary>Number of lanes (independent times and step sizes).</summary>
        public abstract int Lanes { get; }

        /// <summary>True when each row is its own lane (the initial-step heuristic then works per row).</summary>
        public abstract bool PerTrajectory { get; }

        /// <summary>Where the next step must land at the latest: the end, or the next output time when the state jumps there.</summary>
        public virtual double Target => Driver.TEnd;

        /// <summary>The step from the lanes' times <paramref name="t"/> with signed sizes <paramref name="h"/>.</summary>
        public abstract StepPoint Step(double[] t, double[] h);

        /// <summary>The weighted RMS error norm of each lane (host doubles; one device sync).</summary>
        public abstract double[] ErrorNorms(StepAttempt attempt, Tolerances tolerances, Tensor y, double[] t);

        /// <summary>The lane that batch row <paramref name="row"/> belongs to.</summary>
        public abstract int LaneOf(long row);

        /// <summary>The rows to blame when lane <paramref name="lane"/>'s step blew up (for the error if the step then underflows).</summary>
        public abstract IReadOnlyList<long> BlownUpRows(int lane, StepAttempt attempt);

        /// <summary>Writes the outputs the accepted lanes' steps cover and returns the state and rates to continue from.</summary>
        public abstract Accepted Advance(StepPoint step, StepAttempt attempt, Tensor y, Tensor f, double[] t, double[] t1, bool[] last,
            bool[] accept, DisposeScope stepScope);
    }

    /// <summary><see cref="ErrorNorm.Batch"/> and fixed-step methods: one lane, one shared step for the whole batch.</summary>
    sealed class BatchControl(StepDriver driver) : ErrorControl(driver)
    {
        // The next output time to fill.
        int _next = 1;

        public override int Lanes => 1;

        public override bool PerTrajectory => false;

        bool Jumps => Driver._observer is { JumpsAtOutputs: true };

        // With jumps the solve stops at every output time (the state changes there); otherwise only at the end.
        public override double Target => Jumps ? Driver._times[_next] : Driver.TEnd;

        public override StepPoint Step(double[] t, double[] h) => StepPoint.Shared(t[0], h[0], Driver._dtype, Driver._device);

        public override double[] ErrorNorms(StepAttempt attempt, Tolerances tolerances, Tensor y, double[] t)
        {
            using var noGrad = torch.no_grad();
            if (Driver._method.IsAdaptive)
            {
                var scale = tolerances.Scale(y, attempt.Y1);
                return [HostScalar(Driver._method.ErrorNorm(attempt, scale, perTrajectory: false))]; // sync: step acceptance
            }
            // sync: fixed steps have no acceptance decision; this one scalar catches NaN/Inf (a sum of finite values may
            // overflow, so the failure path checks the rows before throwing).
            if (!double.IsFinite(HostScalar(attempt.Y1.sum())) && NonFiniteRows.Of(attempt.Y1) is { Count: > 0 } rows)
                throw new NonFiniteStateException(t[0], rows);
            return [0];
        }

        public override int LaneOf(long row) => 0;

        public override IReadOnlyList<long> BlownUpRows(int lane, StepAttempt attempt) => NonFiniteRows.Of(attempt.Y1, attempt.ErrorEstimate);

        public override Accepted Advance(StepPoint step, StepAttempt attempt, Tensor y, Tensor f, double[] t, double[] t1, bool[] last,
            bool[] accept, DisposeScope stepScope)
        {
            var d = Driver;
            var observer = d._observer;
            int count = d._times.Length;
            // Lands on an intermediate output time where the state jumps.
            bool jumps = Jumps && last[0] && _next < count - 1;
            double h = step.SharedStep;
            var y1 = attempt.Y1;
            // f1 is evaluated when something needs it: the Hermite interpolant or the next step (not when a jump replaces
            // y1 anyway).
            var f1 = attempt.F1;
            var dense = attempt.Dense;
            // With jumps every output is a step's target and lands exactly; a snapped output would skip its jump.
            bool snaps = !Jumps;
            for (; _next < count && ((last[0] && !Jumps) || d.Reached(d._times[_next], t1[0]) || (snaps && d.AtStepEnd(d._times[_next], t1[0]))); _next++)
            {
                double theta = snaps && d.AtStepEnd(d._times[_next], t1[0]) ? 1 : (d._times[_next] - t[0]) / h;
                var value = theta == 1 ? y1.alias()
                    : (dense ??= new HermiteDenseOutput(step, y, f, y1, f1 ??= d._counters.Rates(d._system, step.Time(1.0), y1))).At(theta);
                d._outputs[_next] = KeepOutside(value, stepScope);
                observer?.OutputReached(_next, d._accepted, theta);
            }
            if (jumps)
            {
                y1 = observer!.Jump(_next - 1, y1);
                f1 = d._counters.Rates(d._system, step.Time(1.0), y1);
            }
            else f1 ??= d._counters.Rates(d._system, step.Time(1.0), y1);
            return new Accepted(KeepOutside(y1, stepScope), KeepOutside(f1, stepScope), null, jumps);
        }

        // One scalar to the host, whatever the state's floating dtype.
        static double HostScalar(Tensor x) => x.dtype switch
        {
            ScalarType.Float64 => x.item<double>(),
            ScalarType.Float32 => x.item<float>(),
            _ => x.to(ScalarType.Float64).item<double>(),
        };
    }

    /// <summary><see cref="ErrorNorm.PerTrajectory"/> with an adaptive method: one lane per row, merged with masks.</summary>
    sealed class PerTrajectoryControl(StepDriver driver, int rows) : ErrorControl(driver)
    {
        // The next output time each row has to fill.
        readonly int[] _next = Enumerable.Repeat(1, rows).ToArray();

        public override int Lanes => rows;

        public override bool PerTrajectory => true;

        public override StepPoint Step(double[] t, double[] h) => StepPoint.PerTrajectory(t, h, Driver._dtype, Driver._device);

        public override double[] ErrorNorms(StepAttempt attempt, Tolerances tolerances, Tensor y, double[] t)
        {
            using var noGrad = torch.no_grad();
            var scale = tolerances.Scale(y, attempt.Y1);
            using var cpu = Driver._method.ErrorNorm(attempt, scale, perTrajectory: true).to(ScalarType.Float64, CPU); // sync: step acceptance
            return cpu.data<double>().ToArray();
        }

        public override int LaneOf(long row) => (int)row;

        public override IReadOnlyList<long> BlownUpRows(int lane, StepAttempt attempt) => [lane];

        public override Accepted Advance(StepPoint step, StepAttempt attempt, Tensor y, Tensor f, double[] t, double[] t1, bool[] last,
            bool[] accept, DisposeScope stepScope)
        {
            var d = Driver;
            var mask = torch.tensor(accept, new long[] { rows, 1 }, device: d._device);
            var y1 = attempt.Y1;
            var f1 = attempt.F1 ?? d._counters.Rates(d._system, step.Time(1.0), y1);
            var dense = attempt.Dense ?? new HermiteDenseOutput(step, y, f, y1, f1);
            WriteOutputs(dense, t, step.RowSteps, last, accept, stepScope);
            return new Accepted(KeepOutside(torch.where(mask, y1, y), stepScope), KeepOutside(torch.where(mask, f1, f), stepScope),
                mask.MoveToOuterDisposeScope(), false);
        }

        // Output times covered by the accepted rows' steps: each row gets its own θ; other rows keep what they have.
        void WriteOutputs(IDenseOutput dense, double[] t, IReadOnlyList<double> h, bool[] last, bool[] accept, DisposeScope stepScope)
        {
            var d = Driver;
            var outputs = d._outputs;
            int first = int.MaxValue, end = 0;
            var lastCovered = new int[rows];
            for (int r = 0; r < rows; r++)
            {
                lastCovered[r] = _next[r] - 1;
                if (!accept[r]) continue;
                while (lastCovered[r] + 1 < outputs.Length && (last[r] || d.Reached(d._times[lastCovered[r] + 1], t[r] + h[r]))) lastCovered[r]++;
                first = Math.Min(first, _next[r]);
                end = Math.Max(end, lastCovered[r]);
            }
            var theta = new double[rows];
            var covers = new bool[rows];
            for (int k = first; k <= end; k++)
            {
                bool any = false, all = true;
                for (int r = 0; r < rows; r++)
                {
                    covers[r] = accept[r] && _next[r] <= k && k <= lastCovered[r];
                    theta[r] = covers[r] ? (d._times[k] - t[r]) / h[r] : 0;
                    any |= covers[r];
                    all &= covers[r];
                }
                if (!any) continue;
                var value = dense.At(torch.tensor(theta, new long[] { rows, 1 }, d._dtype, d._device));
                var previous = outputs[k];
                // The first row to reach output k fills it for all rows; later rows overwrite their own entries.
                var merged = previous is null || all ? value : torch.where(torch.tensor(covers, new long[] { rows, 1 }, device: d._device), value, previous);
                outputs[k] = KeepOutside(merged, stepScope);
                previous?.Dispose();
                for (int r = 0; r < rows; r++) if (covers[r]) _next[r] = k + 1;
            }
        }
    }
}
