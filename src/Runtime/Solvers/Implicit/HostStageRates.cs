using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// How <see cref="HostRadau"/> evaluates the vector field for one step on host values (<c>[batch, n]</c> blocks, float64):
/// through the system's tensors (any <see cref="IOdeSystem"/>) or, for an <see cref="IHostRates"/> system in a step
/// shared by all rows, on the host without a tensor op (the native kernels). Both count one evaluation per stage call,
/// so a solve's statistics do not depend on the evaluator.
/// </summary>
internal abstract class HostStageRates
{
    /// <summary>The evaluator for step <paramref name="step"/> of system <paramref name="f"/>, at stage nodes <paramref name="c"/>.</summary>
    public static HostStageRates For(IOdeSystem f, StepPoint step, IReadOnlyList<double> c, int batch, int n, ScalarType dtype, Device device)
        => f is IHostRates host && !step.IsPerTrajectory
            ? new OnHost(host, step, c, batch * n)
            : new OnTensors(f, step, c, batch, n, dtype, device);

    /// <summary>The rates at the stacked stage states (<c>[s, batch, n]</c>) at <c>t0 + cᵢh</c>, as <c>[s, batch, n]</c>.</summary>
    public abstract double[] Stages(double[] states, SolveCounters counters);

    /// <summary>The rates at <paramref name="y"/> (<c>[batch, n]</c>) at the step's start time.</summary>
    public abstract double[] AtStart(double[] y, SolveCounters counters);

    sealed class OnHost(IHostRates f, StepPoint step, IReadOnlyList<double> c, int size) : HostStageRates
    {
        public override double[] Stages(double[] states, SolveCounters counters)
        {
            var rates = new double[c.Count * size];
            for (int i = 0; i < c.Count; i++)
            {
                counters.FunctionEvaluations++;
                f.Rates(step.SharedTime + c[i] * step.SharedStep, states.AsSpan(i * size, size), rates.AsSpan(i * size, size));
            }
            return rates;
        }

        public override double[] AtStart(double[] y, SolveCounters counters)
        {
            var rates = new double[size];
            counters.FunctionEvaluations++;
            f.Rates(step.SharedTime, y, rates);
            return rates;
        }
    }

    sealed class OnTensors(IOdeSystem f, StepPoint step, IReadOnlyList<double> c, int batch, int n, ScalarType dtype, Device device)
        : HostStageRates
    {
        readonly StageRates _stages = new(f, step, c, batch);

        public override double[] Stages(double[] states, SolveCounters counters)
            => HostRadau.Host(_stages.Evaluate(HostRadau.ToTensor(states, c.Count, batch, n, dtype, device), counters));

        public override double[] AtStart(double[] y, SolveCounters counters)
            => HostRadau.Host(counters.Rates(f, step.T0, HostRadau.ToTensor(y, 1, batch, n, dtype, device)));
    }
}
