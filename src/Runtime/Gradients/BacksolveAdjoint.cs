using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Optimise-then-discretise (Chen et al. 2018, Algorithm 1): the forward solve keeps no graph; <c>backward()</c> solves
/// the augmented adjoint system (<see cref="AdjointSystem"/>) backwards from the last output time, one segment per output
/// interval, adding the loss gradient <c>∂L/∂y(t_i)</c> to <c>a</c> at each output time. Memory does not grow with the
/// number of steps; the gradient is accurate to the backward solve's tolerance.
/// </summary>
internal sealed class BacksolveAdjoint(AdjointOptions adjoint) : GradientMethod
{
    public override string Name => "backsolve";

    internal override GradientKind Kind => GradientKind.Backsolve;

    internal override AdjointOptions Adjoint => adjoint;

    internal override void Validate(IOdeSolver solver, SolverOptions options) => adjoint.Validate(solver, options);

    public override OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        var vjp = AutogradRatesVjp.Resolve(system);
        var report = new GradientReport(Name);
        if (!NeedsGraph(y0, ts, vjp.Parameters))
            return solver.Integrate(system, y0, ts, options) with { Gradient = report };

        var site = new BackwardSite("backsolve adjoint", 3 + vjp.Parameters.Count);
        var context = new Context(system, vjp, solver, options, adjoint, SolveArguments.HostTimes(ts), report, site);
        var start = ts.requires_grad ? OutputTimeGradients.AnchorInitialState(system, y0, ts, report) : y0;
        var inputs = new List<object> { context, BackwardGuard.Signal(y0), start };
        inputs.AddRange(vjp.Parameters);
        var ys = BacksolveFunction.apply([.. inputs])[0];
        if (ts.requires_grad) ys = OutputTimeGradients.AttachOutputs(system, y0, ys, ts, report);
        return new OdeSolution(ts, ys, context.ForwardStats!) { Gradient = report };
    }

    internal sealed record Context(
        IOdeSystem System, IRatesVjp Vjp, IOdeSolver Solver, SolverOptions Options, AdjointOptions Adjoint,
        double[] Times, GradientReport Report, BackwardSite Site)
    {
        public SolverStats? ForwardStats { get; set; }
        /// <summary>The forward step-size controller's last proposal (adaptive one-step solvers), to start the backward solve with.</summary>
        public double? ForwardNextStep { get; set; }
    }

    /// <summary>
    /// The autograd node: inputs <c>(context, failure signal, y0, θ₁…θₖ)</c>, output the trajectory <c>[T, batch, n]</c>.
    /// Its backward never throws (<see cref="BackwardGuard"/>).
    /// </summary>
    internal sealed class BacksolveFunction : autograd.MultiTensorFunction<BacksolveFunction>
    {
        public override string Name => nameof(BacksolveFunction);

        public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var c = (Context)vars[0];
            var y0 = (Tensor)vars[2];
            c.Site.Remember(vars);
            OdeSolution solution;
            // The forward solve's last step-size proposal starts the backward solve (adaptive solvers in the step loop).
            if (c.Solver.IsAdaptive && JumpedSolve.InLoop(c.Solver, c.Options))
            {
                var log = new StepLog(c.Times.Length);
                solution = ((IStepLoopSolver)c.Solver).Integrate(c.System, y0.detach(), TimesTensor(c.Times, y0), c.Options, log);
                c.ForwardNextStep = log.NextStep;
            }
            else solution = c.Solver.Integrate(c.System, y0.detach(), TimesTensor(c.Times, y0), c.Options);
            c.ForwardStats = solution.Stats;
            ctx.save_data("c", c);
            ctx.save_for_backward([solution.Ys.detach()]);
            return [solution.Ys];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
        {
            var c = (Context)ctx.get_data("c");
            return BackwardGuard.Run(c.Site, grads, () =>
            {
                var ys = ctx.get_saved_variables()[0];
                var (dy0, dParams) = Backsolve(c, ys, grads[0]);
                var result = new List<Tensor> { null!, null!, dy0 };
                result.AddRange(dParams.Select(g => g!));
                return result;
            });
        }
    }

    /// <summary>
    /// Runs the backward sweep; returns ∂L/∂y0 and ∂L/∂θ (null for parameters that do not require grad). When the
    /// backward solve's y leaves the forward trajectory (<see cref="ReconstructionDrift"/>) it throws an
    /// <see cref="AdjointDriftException"/>, or recomputes the gradient with the checkpointed adjoint if the user asked for that.
    /// </summary>
    static (Tensor Dy0, Tensor?[] DParams) Backsolve(Context c, Tensor ys, Tensor g)
    {
        var parameters = c.Vjp.Parameters;
        var active = parameters.Select(p => p.requires_grad).ToArray();
        var shape = ys.shape.Skip(1).ToArray();
        var aug = new AdjointSystem(c.Vjp, shape, parameters, active);
        var (solver, options) = BackwardSolve(c, aug);
        var drift = ReconstructionDrift.For(c.Solver, c.Options, solver, options);
        try
        {
            return BackwardSweep(c, aug, solver, options, ys, g, drift);
        }
        catch (AdjointDriftException) when (c.Adjoint.FallbackToCheckpointed)
        {
            c.Report.FellBackToCheckpointed = true;
            return CheckpointedFallback(c, ys[0], g, parameters, active);
        }
    }

    /// <summary>
    /// The backward sweep: the augmented system from <c>t_{T−1}</c> to <c>t_0</c>, stopping at every output time, where y
    /// is reset to the forward value and <c>∂L/∂y(t_i)</c> is added to <c>a</c> (a state jump, <see cref="JumpedSolve"/>).
    /// In the step loop the controller keeps its state across output times; other solvers restart at each one.
    /// </summary>
    static (Tensor Dy0, Tensor?[] DParams) BackwardSweep(Context c, AdjointSystem aug, IOdeSolver solver, SolverOptions options,
        Tensor ys, Tensor g, ReconstructionDrift drift)
    {
        int last = c.Times.Length - 1;
        using var scope = NewDisposeScope();
        // The forward solve's last step-size proposal is a better first backward step than Hairer's search (which costs
        // an evaluation and starts small).
        if (solver.IsAdaptive && JumpedSolve.InLoop(solver, options) && StepControl.ChoosesFirstStep(options) && c.ForwardNextStep is { } h && double.IsFinite(h) && h > 0)
            options = StepControl.WithFirstStep(options, h);
        var z0 = aug.Pack(ys[last], g[last]);
        var backwardTimes = c.Times.Reverse().ToArray();
        // Output k of the backward solve is forward output last − k; like torchdiffeq, y restarts from the forward value,
        // after the reconstruction has been checked against it.
        var solution = JumpedSolve.Run(solver, aug, z0, backwardTimes, options, new AdjointJumps(aug, ys, g, backwardTimes, drift));
        c.Report.AddBackward(solution.Stats);
        drift.Check(aug.StateOf(solution.Ys[last]), ys[0], c.Times[0]);
        var (a, grads) = aug.Unpack(solution.Ys[last]);
        var dy0 = a.add(g[0], ScalarOps.One).MoveToOuterDisposeScope();
        return (dy0, grads.Select(p => p?.clone().MoveToOuterDisposeScope()).ToArray());
    }

    /// <summary>The backward sweep's jumps: check the reconstruction of y, reset it to the forward value and add the loss gradient to a.</summary>
    sealed class AdjointJumps(AdjointSystem aug, Tensor ys, Tensor g, double[] backwardTimes, ReconstructionDrift drift) : StepObserver
    {
        public override bool JumpsAtOutputs => true;

        public override Tensor Jump(int output, Tensor z)
        {
            int forward = backwardTimes.Length - 1 - output;
            drift.Check(aug.StateOf(z), ys[forward], backwardTimes[output]);
            return aug.Jump(z, ys[forward], g[forward]);
        }
    }

    /// <summary>
    /// The gradient by the checkpointed adjoint (forward solve again without a graph, then replays), for
    /// <see cref="AdjointOptions.FallbackToCheckpointed"/>. Runs inside the backward pass, where grad mode is off.
    /// </summary>
    static (Tensor Dy0, Tensor?[] DParams) CheckpointedFallback(Context c, Tensor y0, Tensor g, IReadOnlyList<Tensor> parameters, bool[] active)
    {
        var strategy = CheckpointedAdjoint.Strategy(c.System, c.Solver, c.Options, new CheckpointOptions(), c.Times, c.Report);
        List<Tensor> saved;
        using (no_grad())
        {
            var (ysAgain, kept, _) = strategy.Forward(y0.detach());
            ysAgain.Dispose();
            saved = kept;
        }
        var dParams = new Tensor?[parameters.Count];
        using var gradMode = enable_grad();
        var dy0 = strategy.Backward(saved, g, [.. parameters], active, dParams);
        return (dy0, dParams);
    }

    static (IOdeSolver Solver, SolverOptions Options) BackwardSolve(Context c, AdjointSystem aug)
        => c.Adjoint.BackwardSolve(c.Solver, c.Options, aug.ParameterSize > 0 ? aug.SeminormTolerances : null);

    static Tensor TimesTensor(double[] times, Tensor like) => tensor(times, like.dtype, like.device);
}
