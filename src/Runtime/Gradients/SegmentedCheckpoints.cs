using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The checkpointed adjoint for solvers whose steps cannot be replayed one by one (multistep methods, per-trajectory
/// error norms, solvers outside the shared step driver): each segment of a <see cref="CheckpointPlan"/> is its own solve,
/// forward without a graph and again with a graph in the backward pass (same start, times and options, so the same
/// steps). An adaptive solver restarts step control at every segment boundary, so the forward solution differs from one
/// uninterrupted solve within the tolerance; the gradient is exact for this segmented solution.
/// </summary>
internal sealed class SegmentedCheckpoints(IOdeSystem system, IOdeSolver solver, SolverOptions options, CheckpointPlan plan, GradientReport report)
    : CheckpointStrategy
{
    // The options each segment was solved with in the forward pass; the replay uses the same.
    SolverOptions[] _segmentOptions = [];

    public override (Tensor Ys, List<Tensor> Saved, SolverStats Stats) Forward(Tensor y0)
    {
        var outputs = new Tensor[plan.OutputIndex.Count(i => i >= 0)];
        var states = new List<Tensor>(plan.Segments.Length);
        var stats = new SolverStats();
        var y = y0;
        outputs[0] = y0;
        _segmentOptions = new SolverOptions[plan.Segments.Length];
        var segmentOptions = options;
        for (int segment = 0; segment < plan.Segments.Length; segment++)
        {
            var (first, last) = plan.Segments[segment];
            states.Add(y);
            _segmentOptions[segment] = segmentOptions;
            // Only the outputs and the next checkpoint leave the segment's scope (memory ∝ checkpoints + outputs).
            using var scope = NewDisposeScope();
            var solution = solver.Integrate(system, y, GridTimes(first, last, y0), segmentOptions);
            // An adaptive solve restarts at each segment: start the next one with this segment's mean step instead of
            // Hairer's initial-step search (saves its evaluation and the small first steps it picks).
            if (solver.IsAdaptive && StepControl.ChoosesFirstStep(options))
            {
                double span = Math.Abs(plan.Times[last] - plan.Times[first]);
                segmentOptions = StepControl.WithFirstStep(options, span / Math.Max(1, solution.Stats.AcceptedSteps));
            }
            for (int p = first + 1; p <= last; p++)
                if (plan.OutputIndex[p] >= 0) outputs[plan.OutputIndex[p]] = solution.Ys[p - first].clone().MoveToOuterDisposeScope();
            y = plan.OutputIndex[last] >= 0 ? outputs[plan.OutputIndex[last]] : solution.Ys[last - first].clone().MoveToOuterDisposeScope();
            stats = stats.Plus(solution.Stats);
        }
        report.Checkpoints = states.Count;
        return (stack(outputs), states, stats);
    }

    public override Tensor Backward(List<Tensor> states, Tensor g, Tensor[] parameters, bool[] active, Tensor?[] dParams)
    {
        Tensor? carry = null;
        for (int s = plan.Segments.Length - 1; s >= 0; s--)
        {
            using var scope = NewDisposeScope();
            var (first, last) = plan.Segments[s];
            var start = states[s].detach().requires_grad_(true);
            var solution = solver.Integrate(system, start, GridTimes(first, last, start), _segmentOptions[s]);
            report.AddBackward(solution.Stats);
            CheckpointedAdjoint.CheckReplay(solution.Ys[last - first], s + 1 < states.Count ? states[s + 1] : null, plan.Times[last],
                CheckpointedAdjoint.ReplaySlack(solver, options));
            // The replayed points after the start and their cotangents: the loss gradient at outputs, plus the carried
            // adjoint at the segment end.
            var points = new List<Tensor>();
            var cotangents = new List<Tensor>();
            for (int p = first + 1; p <= last; p++)
            {
                bool isOutput = plan.OutputIndex[p] >= 0, isEnd = p == last && carry is not null;
                if (!isOutput && !isEnd) continue;
                var gp = isOutput ? g[plan.OutputIndex[p]] : carry!;
                points.Add(solution.Ys[p - first]);
                cotangents.Add(isOutput && isEnd ? gp.add(carry!, ScalarOps.One) : gp);
            }
            var dStart = CheckpointedAdjoint.Backpropagate(points, cotangents, [start], parameters, active, dParams)[0];
            carry?.Dispose();
            carry = dStart ?? zeros_like(start).DetachFromDisposeScope();
        }
        var dy0 = carry!.add(g[0], ScalarOps.One);
        carry.Dispose();
        return dy0;
    }

    Tensor GridTimes(int first, int last, Tensor like)
        => tensor(plan.Times[first..(last + 1)], like.dtype, like.device);
}
