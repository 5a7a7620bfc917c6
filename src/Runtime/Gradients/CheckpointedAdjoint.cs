using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Checkpointed adjoint: the forward pass solves without a graph and keeps only a few states (checkpoints);
/// <c>backward()</c> recomputes the solution from each checkpoint with a graph, last segment first, and backpropagates
/// through it, carrying the adjoint across segment boundaries. The gradient is the exact gradient of the discrete forward
/// solution; y is never integrated backwards, so dissipative systems do not drift. Peak memory: the checkpoints plus one
/// segment's graph.
/// </summary>
/// <remarks>
/// Two strategies. <see cref="ReplayedCheckpoints"/> (one-step self-starting methods in batch mode: every explicit RK
/// and implicit method) solves once, exactly as direct backprop does, logs the accepted steps and replays them, so its
/// forward solution and gradient are those of <see cref="GradientMethod.Direct"/>. <see cref="SegmentedCheckpoints"/>
/// (multistep methods, per-trajectory error norms, other solvers) solves each segment between checkpoint times on its own
/// and solves it again with a graph.
/// </remarks>
internal sealed class CheckpointedAdjoint(CheckpointOptions checkpoints) : GradientMethod
{
    public override string Name => "checkpointed";

    internal override GradientKind Kind => GradientKind.Checkpointed;

    public override OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        var parameters = AutogradRatesVjp.Resolve(system).Parameters;
        var report = new GradientReport(Name);
        if (!NeedsGraph(y0, ts, parameters))
            return solver.Integrate(system, y0, ts, options) with { Gradient = report };
        var strategy = Strategy(system, solver, options, checkpoints, SolveArguments.HostTimes(ts), report);
        var context = new Context(strategy, report, new BackwardSite("checkpointed adjoint", 3 + parameters.Count));
        var start = ts.requires_grad ? OutputTimeGradients.AnchorInitialState(system, y0, ts, report) : y0;
        var inputs = new List<object> { context, BackwardGuard.Signal(y0), start };
        inputs.AddRange(parameters);
        var ys = CheckpointFunction.apply([.. inputs])[0];
        if (ts.requires_grad) ys = OutputTimeGradients.AttachOutputs(system, y0, ys, ts, report);
        return new OdeSolution(ts, ys, context.ForwardStats!) { Gradient = report };
    }

    /// <summary>How a solve with these settings is checkpointed (see the remarks on <see cref="CheckpointedAdjoint"/>).</summary>
    internal static CheckpointStrategy Strategy(IOdeSystem system, IOdeSolver solver, SolverOptions options, CheckpointOptions checkpoints,
        double[] times, GradientReport report)
        => solver is IStepLoopSolver loop && loop.Replayable(options)
            ? new ReplayedCheckpoints(system, loop, options, checkpoints, times, report)
            : new SegmentedCheckpoints(system, solver, options, CheckpointPlan.Create(times, checkpoints, solver, options), report);

    internal sealed record Context(CheckpointStrategy Strategy, GradientReport Report, BackwardSite Site)
    {
        public SolverStats? ForwardStats { get; set; }
        public Tensor[] Parameters { get; set; } = [];
    }

    /// <summary>
    /// The autograd node: inputs <c>(context, failure signal, y0, θ₁…θₖ)</c>, output the trajectory <c>[T, batch, n]</c>.
    /// Its backward never throws (<see cref="BackwardGuard"/>).
    /// </summary>
    internal sealed class CheckpointFunction : autograd.MultiTensorFunction<CheckpointFunction>
    {
        public override string Name => nameof(CheckpointFunction);

        public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var c = (Context)vars[0];
            var y0 = (Tensor)vars[2];
            c.Site.Remember(vars);
            c.Parameters = vars.Skip(3).Cast<Tensor>().ToArray();
            using var noGrad = no_grad();
            var (ys, saved, stats) = c.Strategy.Forward(y0.detach());
            c.ForwardStats = stats;
            ctx.save_data("c", c);
            ctx.save_for_backward(saved);
            return [ys];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
        {
            var c = (Context)ctx.get_data("c");
            return BackwardGuard.Run(c.Site, grads, () =>
            {
                var saved = ctx.get_saved_variables();
                var parameters = c.Parameters;
                var active = parameters.Select(p => p.requires_grad).ToArray();
                Tensor dy0;
                var dParams = new Tensor?[parameters.Length];
                // Autograd's engine runs custom backward functions with grad mode off; the replays need a graph.
                using (var gradMode = enable_grad())
                    dy0 = c.Strategy.Backward(saved, grads[0], parameters, active, dParams);
                var result = new List<Tensor> { null!, null!, dy0 };
                result.AddRange(dParams.Select(g => g!));
                return result;
            });
        }
    }

    /// <summary>
    /// Backpropagates the cotangents of one replayed segment to its start (and the parameters): returns the gradients of
    /// <paramref name="starts"/> (null where unused) and adds the parameter gradients to <paramref name="dParams"/>.
    /// </summary>
    internal static Tensor?[] Backpropagate(List<Tensor> outputs, List<Tensor> cotangents, Tensor[] starts,
        Tensor[] parameters, bool[] active, Tensor?[] dParams)
    {
        var wrt = new List<Tensor>(starts);
        wrt.AddRange(parameters.Where((_, i) => active[i]));
        var differentiable = Enumerable.Range(0, outputs.Count).Where(i => outputs[i].requires_grad).ToArray();
        if (differentiable.Length == 0) return new Tensor?[starts.Length];
        var grads = autograd.grad([.. differentiable.Select(i => outputs[i])], wrt, [.. differentiable.Select(i => cotangents[i])], allow_unused: true);
        int slot = starts.Length;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!active[i]) continue;
            var gi = grads[slot++];
            if (gi is null || gi.IsInvalid) continue;
            var sum = dParams[i] is { } prev ? prev.add(gi, ScalarOps.One) : gi.detach().clone();
            dParams[i]?.Dispose();
            dParams[i] = sum.DetachFromDisposeScope();
        }
        var result = new Tensor?[starts.Length];
        for (int s = 0; s < starts.Length; s++)
            result[s] = grads[s] is { IsInvalid: false } d ? d.detach().DetachFromDisposeScope() : null;
        return result;
    }

    /// <summary>
    /// How far a replay may drift from the forward states beyond round-off: nothing, or for methods that keep Newton state
    /// across steps (<see cref="IOdeSolver.ReplaysToRoundoff"/> false) ten times the solve's largest tolerance.
    /// </summary>
    internal static double ReplaySlack(IOdeSolver solver, SolverOptions options)
        => !solver.ReplaysToRoundoff
            ? 10 * Math.Max(StepControl.Tolerance(options).LargestRelative, StepControl.Tolerance(options).LargestAbsolute)
            : 0;

    /// <summary>
    /// The replay must land where the forward pass did (it is the same deterministic computation); a mismatch would
    /// mean the gradient belongs to another trajectory, so it is an error rather than a silent inaccuracy.
    /// One host sync per segment.
    /// </summary>
    internal static void CheckReplay(Tensor replayedEnd, Tensor? forwardEnd, double time, double slack = 0)
    {
        if (forwardEnd is null) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double tolerance = Math.Max(replayedEnd.dtype == ScalarType.Float64 ? 1e-10 : 1e-4, slack);
        // Read on the host as float64 whatever the state's dtype (item<double>() of a float32 tensor throws); one sync.
        using var host = stack([forwardEnd.abs().max(), replayedEnd.sub(forwardEnd).abs().max()]).to(ScalarType.Float64, CPU);
        var values = host.data<double>();
        double scale = Math.Max(1.0, values[0]);
        double difference = values[1];
        if (!(difference <= tolerance * scale))
            throw new OdeSolverException(
                $"Checkpointed adjoint: the backward replay reached a different state at t = {time:R} than the forward " +
                $"pass (max difference {difference:R}). The system or solver is not deterministic (e.g. random rates or " +
                "a nondeterministic GPU kernel); use GradientMethod.Direct or GradientMethod.Backsolve for it.");
    }
}

/// <summary>How the checkpointed adjoint stores and recomputes the forward solution.</summary>
internal abstract class CheckpointStrategy
{
    /// <summary>Solves without a graph; returns the trajectory, the tensors to save for backward and the counters.</summary>
    public abstract (Tensor Ys, List<Tensor> Saved, SolverStats Stats) Forward(Tensor y0);

    /// <summary>Recomputes and backpropagates; returns ∂L/∂y0 and fills <paramref name="dParams"/> (outside any dispose scope).</summary>
    public abstract Tensor Backward(List<Tensor> saved, Tensor g, Tensor[] parameters, bool[] active, Tensor?[] dParams);
}
