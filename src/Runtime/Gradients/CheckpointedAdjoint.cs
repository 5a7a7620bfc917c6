using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Checkpointed adjoint: the forward pass solves segment by segment without a graph and keeps only the state at each
/// segment start (<see cref="CheckpointPlan"/>); <c>backward()</c> re-solves each segment from its checkpoint with a graph,
/// last segment first, and backpropagates through it, carrying <c>∂L/∂y</c> across segment boundaries. The replay takes
/// the same steps as the forward pass (same start state, times, options and deterministic step control), so the gradient
/// is the exact gradient of the discrete forward solution; y is never integrated backwards, so dissipative systems do
/// not drift. Peak memory: the checkpoints plus one segment's graph.
/// </summary>
internal sealed class CheckpointedAdjoint(CheckpointOptions checkpoints) : GradientMethod
{
    public override string Name => "checkpointed";

    public override OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        var parameters = AutogradRatesVjp.Resolve(system).Parameters;
        var report = new GradientReport(Name);
        var plan = CheckpointPlan.Create(SolveArguments.HostTimes(ts), checkpoints, solver, options);
        var context = new Context(system, solver, options, plan, report);
        var start = NeedsGraph(y0, ts, parameters) && ts.requires_grad
            ? OutputTimeGradients.AnchorInitialState(system, y0, ts, report)
            : y0;
        var inputs = new List<object> { context, start };
        inputs.AddRange(parameters);
        var ys = CheckpointFunction.apply([.. inputs])[0];
        if (is_grad_enabled() && ts.requires_grad) ys = OutputTimeGradients.AttachOutputs(system, y0, ys, ts, report);
        return new OdeSolution(ts, ys, context.ForwardStats!) { Gradient = report };
    }

    internal sealed record Context(IOdeSystem System, IOdeSolver Solver, SolverOptions Options, CheckpointPlan Plan, GradientReport Report)
    {
        public SolverStats? ForwardStats { get; set; }
        public Tensor[] Parameters { get; set; } = [];
        /// <summary>The options each segment was solved with in the forward pass; the replay uses the same.</summary>
        public SolverOptions[] SegmentOptions { get; set; } = [];
    }

    /// <summary>The autograd node: inputs <c>(context, y0, θ₁…θₖ)</c>, output the trajectory <c>[T, batch, n]</c>.</summary>
    internal sealed class CheckpointFunction : autograd.MultiTensorFunction<CheckpointFunction>
    {
        public override string Name => nameof(CheckpointFunction);

        public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var c = (Context)vars[0];
            var y0 = (Tensor)vars[1];
            c.Parameters = vars.Skip(2).Cast<Tensor>().ToArray();
            var (ys, states, stats) = Forward(c, y0.detach());
            c.ForwardStats = stats;
            c.Report.Checkpoints = states.Count;
            ctx.save_data("c", c);
            ctx.save_for_backward(states);
            return [ys];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
        {
            var c = (Context)ctx.get_data("c");
            var states = ctx.get_saved_variables();
            var (dy0, dParams) = Backward(c, states, grads[0]);
            var result = new List<Tensor> { null!, dy0 };
            result.AddRange(dParams.Select(g => g!));
            return result;
        }
    }

    /// <summary>Solves every segment without a graph; returns the outputs, the segment start states and summed counters.</summary>
    static (Tensor Ys, List<Tensor> States, SolverStats Stats) Forward(Context c, Tensor y0)
    {
        var plan = c.Plan;
        var outputs = new Tensor[plan.OutputIndex.Count(i => i >= 0)];
        var states = new List<Tensor>(plan.Segments.Length);
        int nfe = 0, accepted = 0, rejected = 0, jacobians = 0, factorizations = 0;
        var y = y0;
        outputs[0] = y0;
        c.SegmentOptions = new SolverOptions[plan.Segments.Length];
        var options = c.Options;
        for (int segment = 0; segment < plan.Segments.Length; segment++)
        {
            var (first, last) = plan.Segments[segment];
            states.Add(y);
            c.SegmentOptions[segment] = options;
            // Only the outputs and the next checkpoint leave the segment's scope (memory ∝ checkpoints + outputs).
            using var scope = NewDisposeScope();
            var solution = c.Solver.Integrate(c.System, y, GridTimes(plan, first, last, y0), options);
            // An adaptive solve restarts at each segment: start the next one with this segment's mean step instead of
            // Hairer's initial-step search (saves its two evaluations and the small first steps it picks).
            if (c.Solver.IsAdaptive && c.Options.FirstStep is null)
            {
                double span = Math.Abs(plan.Times[last] - plan.Times[first]);
                options = c.Options with { FirstStep = Math.Min(span / Math.Max(1, solution.Stats.AcceptedSteps), c.Options.MaxStep) };
            }
            for (int p = first + 1; p <= last; p++)
                if (plan.OutputIndex[p] >= 0) outputs[plan.OutputIndex[p]] = solution.Ys[p - first].clone().MoveToOuterDisposeScope();
            y = plan.OutputIndex[last] >= 0 ? outputs[plan.OutputIndex[last]] : solution.Ys[last - first].clone().MoveToOuterDisposeScope();
            var s = solution.Stats;
            (nfe, accepted, rejected) = (nfe + s.FunctionEvaluations, accepted + s.AcceptedSteps, rejected + s.RejectedSteps);
            (jacobians, factorizations) = (jacobians + s.JacobianEvaluations, factorizations + s.Factorizations);
        }
        var stats = new SolverStats
        {
            FunctionEvaluations = nfe, AcceptedSteps = accepted, RejectedSteps = rejected,
            JacobianEvaluations = jacobians, Factorizations = factorizations,
        };
        return (stack(outputs), states, stats);
    }

    /// <summary>Replays the segments last to first with a graph; returns ∂L/∂y0 and ∂L/∂θ.</summary>
    static (Tensor Dy0, Tensor?[] DParams) Backward(Context c, List<Tensor> states, Tensor g)
    {
        var plan = c.Plan;
        var parameters = c.Parameters;
        var active = parameters.Select(p => p.requires_grad).ToArray();
        var dParams = new Tensor?[parameters.Length];
        Tensor? carry = null;
        // Autograd's engine runs custom backward functions with grad mode off; the replays need a graph.
        using var gradMode = enable_grad();
        for (int s = plan.Segments.Length - 1; s >= 0; s--)
        {
            using var scope = NewDisposeScope();
            var (first, last) = plan.Segments[s];
            var start = states[s].detach().requires_grad_(true);
            var solution = c.Solver.Integrate(c.System, start, GridTimes(plan, first, last, start), c.SegmentOptions[s]);
            c.Report.AddBackward(solution.Stats);
            CheckReplay(solution.Ys[last - first], s + 1 < states.Count ? states[s + 1] : null, plan.Times[last]);
            // Cotangents of the replayed points after the start: the loss gradient at outputs, plus the carried
            // adjoint at the segment end.
            var cotangents = new List<Tensor>();
            for (int p = first + 1; p <= last; p++)
            {
                var gp = plan.OutputIndex[p] >= 0 ? g[plan.OutputIndex[p]] : zeros_like(start);
                cotangents.Add(p == last && carry is not null ? gp.add(carry) : gp);
            }
            var wrt = new List<Tensor> { start };
            wrt.AddRange(parameters.Where((_, i) => active[i]));
            var replayed = solution.Ys.narrow(0, 1, last - first);
            var grads = replayed.requires_grad
                ? autograd.grad([replayed], wrt, [stack(cotangents)], allow_unused: true)
                : wrt.Select(_ => (Tensor)null!).ToList();
            var dStart = grads[0] is { IsInvalid: false } d0 ? d0 : zeros_like(start);
            carry?.Dispose();
            carry = dStart.detach().DetachFromDisposeScope();
            int slot = 1;
            for (int i = 0; i < parameters.Length; i++)
            {
                if (!active[i]) continue;
                var gi = grads[slot++];
                if (gi is null || gi.IsInvalid) continue;
                var sum = dParams[i] is { } prev ? prev.add(gi) : gi.detach().clone();
                dParams[i]?.Dispose();
                dParams[i] = sum.DetachFromDisposeScope();
            }
        }
        var dy0 = carry!.add(g[0]);
        carry.Dispose();
        return (dy0, dParams);
    }

    /// <summary>
    /// The replay must land where the forward pass did (it is the same deterministic computation); a mismatch would
    /// mean the gradient belongs to another trajectory, so it is an error rather than a silent inaccuracy.
    /// One host sync per segment.
    /// </summary>
    static void CheckReplay(Tensor replayedEnd, Tensor? forwardEnd, double time)
    {
        if (forwardEnd is null) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double tolerance = replayedEnd.dtype == ScalarType.Float64 ? 1e-10 : 1e-4;
        double scale = Math.Max(1.0, forwardEnd.abs().max().item<double>());
        double difference = replayedEnd.sub(forwardEnd).abs().max().item<double>();
        if (!(difference <= tolerance * scale))
            throw new OdeSolverException(
                $"Checkpointed adjoint: the backward replay reached a different state at t = {time:R} than the forward " +
                $"pass (max difference {difference:R}). The system or solver is not deterministic (e.g. random rates or " +
                "a nondeterministic GPU kernel); use GradientMethod.Direct or GradientMethod.Backsolve for it.");
    }

    static Tensor GridTimes(CheckpointPlan plan, int first, int last, Tensor like)
        => tensor(plan.Times[first..(last + 1)], like.dtype, like.device);
}
