using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A solve through the output times whose state jumps at every intermediate output time (<see cref="StepObserver.Jump"/>),
/// for any <see cref="IOdeSolver"/>: in the step loop when the solver declares <see cref="IStepLoopSolver"/> and runs in
/// batch mode (the step-size controller then keeps its state across output times), otherwise one solve per output
/// interval, each from the jumped state, the next starting with the previous interval's mean step instead of the
/// initial-step search. The outputs are the states before the jumps.
/// </summary>
internal static class JumpedSolve
{
    /// <summary>True when <paramref name="solver"/> with <paramref name="options"/> makes the jumps inside one solve of the step loop.</summary>
    public static bool InLoop(IOdeSolver solver, SolverOptions options) => solver is IStepLoopSolver loop && loop.Observable(options);

    public static OdeSolution Run(IOdeSolver solver, IOdeSystem system, Tensor y0, double[] times, SolverOptions options, StepObserver jumps)
    {
        if (InLoop(solver, options)) return ((IStepLoopSolver)solver).Integrate(system, y0, TimesTensor(times, y0), options, jumps);
        var outputs = new Tensor[times.Length];
        outputs[0] = y0;
        var stats = new SolverStats();
        var z = y0;
        for (int k = 1; k < times.Length; k++)
        {
            using var scope = NewDisposeScope();
            var segment = solver.Integrate(system, z, TimesTensor([times[k - 1], times[k]], y0), options);
            stats = stats.Plus(segment.Stats);
            if (solver.IsAdaptive)
                options = StepControl.WithFirstStep(options, Math.Abs(times[k] - times[k - 1]) / Math.Max(1, segment.Stats.AcceptedSteps));
            var reached = segment.Ys[1];
            outputs[k] = reached.alias().MoveToOuterDisposeScope();
            var previous = z;
            z = (k < times.Length - 1 ? jumps.Jump(k, reached) : reached).alias().MoveToOuterDisposeScope();
            if (!ReferenceEquals(previous, y0)) previous.Dispose();
        }
        return new OdeSolution(TimesTensor(times, y0), stack(outputs), stats);
    }

    static Tensor TimesTensor(double[] times, Tensor like) => tensor(times, like.dtype, like.device);
}
