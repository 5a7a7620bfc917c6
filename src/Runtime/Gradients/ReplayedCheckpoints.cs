using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The checkpointed adjoint for solvers whose logged steps can be replayed (<see cref="IStepLoopSolver.Replayable"/>: self-starting one-step methods in batch mode): the forward pass is one ordinary solve
/// (the same steps as <see cref="GradientMethod.Direct"/>) that logs every accepted step <c>(t0, h)</c> and keeps the
/// state and rates after some of them; the backward pass replays the logged steps of one segment at a time from its
/// checkpoint with a graph (<see cref="StepReplay"/>: no step-size control, rejected attempts, error estimates or host
/// syncs) and backpropagates. Both the state and the rates are carried across segment boundaries, so the gradient is the
/// direct gradient of the forward solve, up to the order of floating-point sums.
/// </summary>
/// <remarks>
/// Checkpoints (after a number of accepted steps): every <see cref="CheckpointOptions.StepsPerSegment"/> steps, after the
/// step that produces every <see cref="CheckpointOptions.OutputsPerSegment"/>-th output, or, when neither is set, every
/// k steps with k doubling whenever there would be more than k checkpoints: about √N checkpoints of √N steps each for N
/// steps, without knowing N in advance (the classic √N balance of stored states against one segment's graph).
/// </remarks>
internal sealed class ReplayedCheckpoints(IOdeSystem system, IStepLoopSolver solver, SolverOptions options, CheckpointOptions checkpoints,
    double[] times, GradientReport report) : CheckpointStrategy
{
    StepLog _log = null!;
    // Step counts after which a checkpoint was kept; the first is 0 (y0, whose rates are recomputed with a graph).
    int[] _boundaries = [];

    public override (Tensor Ys, List<Tensor> Saved, SolverStats Stats) Forward(Tensor y0)
    {
        bool automatic = checkpoints.OutputsPerSegment == 0 && checkpoints.StepsPerSegment is null;
        int every = 1, scanned = 1;
        // Kept checkpoints by step count: the driver's handles are aliased and held outside its dispose scopes.
        var kept = new SortedDictionary<int, (Tensor Y, Tensor F)>();
        StepLog log = null!;
        log = new StepLog(times.Length)
        {
            OnAccepted = (steps, y, f) =>
            {
                bool keep;
                if (automatic)
                {
                    keep = steps % every == 0;
                    if (keep && kept.Count + 1 > every)
                    {
                        // Thin out: double the spacing and drop the checkpoints that are off the new grid.
                        every *= 2;
                        foreach (var n in kept.Keys.Where(n => n % every != 0).ToArray()) Drop(kept, n);
                        keep = steps % every == 0;
                    }
                }
                else
                {
                    keep = checkpoints.StepsPerSegment is { } k && steps % k == 0;
                    // Outputs written by this step (step index steps − 1).
                    for (; scanned < log.Outputs && log.OutputSource(scanned).Step == steps - 1; scanned++)
                        keep |= checkpoints.OutputsPerSegment > 0 && scanned % checkpoints.OutputsPerSegment == 0;
                }
                if (keep) kept[steps] = (y.alias().DetachFromDisposeScope(), f.alias().DetachFromDisposeScope());
            },
        };
        var solution = solver.Integrate(system, y0, tensor(times, y0.dtype, y0.device), options, log);
        _log = log;
        // A checkpoint after the last step starts no segment.
        if (kept.ContainsKey(log.Count)) Drop(kept, log.Count);
        _boundaries = [0, .. kept.Keys];
        report.Checkpoints = _boundaries.Length;
        // Saved for backward as y0, then (y, f) of each checkpoint; handles of our own in the caller's scope.
        var saved = new List<Tensor> { y0 };
        foreach (var (y, f) in kept.Values)
        {
            saved.Add(y.alias());
            saved.Add(f.alias());
            y.Dispose();
            f.Dispose();
        }
        return (solution.Ys, saved, solution.Stats);
    }

    public override Tensor Backward(List<Tensor> saved, Tensor g, Tensor[] parameters, bool[] active, Tensor?[] dParams)
    {
        Tensor? carryY = null, carryF = null;
        int segments = _boundaries.Length;
        var counters = new SolveCounters();
        for (int s = segments - 1; s >= 0; s--)
        {
            using var scope = NewDisposeScope();
            int first = _boundaries[s], end = s + 1 < segments ? _boundaries[s + 1] : _log.Count;
            var y = (s == 0 ? saved[0] : saved[2 * s - 1]).detach().requires_grad_(true);
            // The first segment evaluates f(t0, y0) with a graph (it depends on θ); later ones start from stored rates,
            // exactly those the forward solve used (for FSAL and implicit methods not a fresh evaluation).
            var f = s == 0 ? counters.Rates(system, tensor(_log.T0(0), y.dtype, y.device), y) : saved[2 * s].detach().requires_grad_(true);
            var replay = solver.Replay(system, y, f, _log, first, end, options, counters, withEndRates: carryF is not null);
            CheckpointedAdjoint.CheckReplay(replay.Y, s + 1 < segments ? saved[2 * s + 1] : null, _log.T0(end - 1) + _log.H(end - 1),
                CheckpointedAdjoint.ReplaySlack(solver, options));
            var points = new List<Tensor>();
            var cotangents = new List<Tensor>();
            foreach (var (output, value) in replay.Outputs)
            {
                points.Add(value);
                cotangents.Add(g[output]);
            }
            if (carryY is not null) { points.Add(replay.Y); cotangents.Add(carryY); }
            if (carryF is not null && replay.F is not null) { points.Add(replay.F); cotangents.Add(carryF); }
            var starts = s == 0 ? new[] { y } : [y, f];
            var d = CheckpointedAdjoint.Backpropagate(points, cotangents, starts, parameters, active, dParams);
            carryY?.Dispose();
            carryF?.Dispose();
            carryY = d[0] ?? zeros_like(y).DetachFromDisposeScope();
            carryF = s == 0 ? null : d[1] ?? zeros_like(f).DetachFromDisposeScope();
        }
        report.AddBackward(new SolverStats { FunctionEvaluations = counters.FunctionEvaluations, AcceptedSteps = _log.Count });
        var dy0 = carryY!.add(g[0], ScalarOps.One);
        carryY.Dispose();
        return dy0;
    }

    static void Drop(SortedDictionary<int, (Tensor Y, Tensor F)> kept, int steps)
    {
        var (y, f) = kept[steps];
        y.Dispose();
        f.Dispose();
        kept.Remove(steps);
    }
}
