using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Direct backpropagation through an explicit Runge–Kutta solve as one autograd node: the forward pass solves without a
/// graph and records every accepted step's stage states (<see cref="StageTape"/>); the backward pass is the exact discrete
/// adjoint of those steps. Per block of steps it evaluates the rates once with a graph on all the block's stage points
/// stacked into one batch, takes every point's Jacobian <c>∂f/∂y</c> (n × n per row; small states only) from n backward
/// passes of that one graph, sweeps the stages backwards on the host (a few multiply–adds per row and stage, between one
/// copy of the Jacobians down and one of the stage cotangents up), and gets the parameter gradient from one more backward
/// pass with all stage cotangents at once. So the per-stage work of autograd through the steps (a ~6-node graph per
/// evaluation in the forward pass, ~12 small kernels per stage in the backward pass, the parameter products among them)
/// becomes a few large operations per block and no tensor op per stage: the spiral demo's rk4 training iteration takes
/// about half the time of autograd through the steps (bench/README.md). The gradient is the one autograd computes
/// through the steps (step sizes and accept/reject decisions are constants, as in autograd), up to the order of
/// floating-point sums.
/// </summary>
/// <remarks>
/// <para>For a step <c>Y_i = y_n + h Σ_{j&lt;i} a_ij k_j</c>, <c>k_i = f(t_n + c_i h, Y_i)</c>, <c>y_{n+1} = y_n + h Σ b_j k_j</c>
/// and a cotangent <c>ȳ_{n+1}</c>: <c>k̄_j = h b_j ȳ_{n+1}</c> (plus what dense outputs in the step add), then for
/// i = s−1 … 0: <c>Ȳ_i = k̄_iᵀ ∂f/∂y(Y_i)</c>, <c>θ̄ += k̄_iᵀ ∂f/∂θ(Y_i)</c>, <c>k̄_j += h a_ij Ȳ_i</c> (j &lt; i) and
/// <c>ȳ_n = ȳ_{n+1} + Σ_i Ȳ_i</c> (Hairer, Lubich &amp; Wanner; Sandu 2006, "On the properties of Runge–Kutta discrete
/// adjoints").</para>
/// <para>Stage 0 is <c>f(t_n, y_n)</c>, which the step loop evaluates once per accepted step; for a first-same-as-last
/// method it is the previous step's last stage (the same point), so its cotangent is carried into that stage instead of
/// being pulled twice. The cubic Hermite output of a step reads <c>f(t_n, y_n)</c> and <c>f(t_{n+1}, y_{n+1})</c>, so
/// every output's cotangent is distributed onto states, rates and stages before the reverse sweep.</para>
/// <para>Used by <see cref="DirectBackprop"/> when <see cref="Applies"/> (the system declares <see cref="IStageVjp"/> with rows
/// that stack, a state of at most <see cref="MaxStates"/> components, a solver that records its stages:
/// <see cref="IStepLoopSolver.StageTableau"/>); otherwise autograd records the steps. Like autograd's own nodes of a
/// first-order pass, the sweep is not itself differentiable: a <c>create_graph</c> backward recomputes the solve with
/// autograd through the steps and differentiates that (<see cref="DifferentiableBackward"/>).</para>
/// </remarks>
internal static partial class StageAdjoint
{
    /// <summary>
    /// True when direct backprop of this solve can run as the discrete adjoint of the recorded stages: a system that lists
    /// its parameters (<see cref="IRatesVjp.Parameters"/>) and whose rows stack (<see cref="IStageVjp"/>), a state of at most
    /// <see cref="MaxStates"/> components, and a solver that records its stages (explicit Runge–Kutta in batch mode).
    /// </summary>
    public static bool Applies(IOdeSystem system, Tensor y0, IOdeSolver solver, SolverOptions options)
        => system is IStageVjp { RowsStack: true } and IRatesVjp vjp && y0.dim() == 2 && y0.shape[1] <= MaxStates
           && y0.shape[0] * WidestLayer(vjp.Parameters) <= MaxRowsTimesWidth
           && solver is IStepLoopSolver loop && loop.StageTableau(options) is not null;

    /// <summary>
    /// The largest batch × widest layer the stage adjoint takes. It evaluates the network on every stage point twice (the
    /// forward solve without a graph, then the stacked evaluation with one) and walks the stacked graph n + 1 times, so it
    /// wins only while per-op overhead, not arithmetic, dominates. Measured (bench <c>backends crossover</c>, TorchSharp
    /// column, rk4 direct, one thread, 2026-11-30, both builds at load ~4): 0.24–0.52 of autograd's time at batch 1 and 20
    /// × width 50 and 256 (20 × 256 = 5 120), but 1.8× at 256 × 50, 2.2× at 256 × 256 and 4096 × 50, 2.8× at 4096 × 256.
    /// </summary>
    public const long MaxRowsTimesWidth = 20 * 256;

    // The widest layer: the largest output count of a weight matrix ([out, in]); 1 for a model without networks.
    static long WidestLayer(IReadOnlyList<Tensor> parameters)
        => parameters.Where(p => p.dim() == 2).Select(p => p.shape[0]).DefaultIfEmpty(1).Max();

    /// <summary>
    /// The largest state the stage adjoint takes: it forms every stage point's n × n Jacobian (n backward passes over the
    /// stacked points, n² values per row), which pays off against autograd's per-stage graph while n is small (n = 2 on
    /// the spiral: ~40 % less time per iteration); wider states keep autograd through the steps. 8 is a judgement, not a
    /// measured crossover.
    /// </summary>
    public const int MaxStates = 8;

    /// <summary>Solves and returns the trajectory <c>[T, batch, n]</c> as the output of one autograd node.</summary>
    public static OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IStepLoopSolver solver, SolverOptions options)
    {
        var vjp = (IRatesVjp)system;
        var parameters = vjp.Parameters;
        var context = new Context(system, solver, options, SolveArguments.HostTimes(ts), new BackwardSite("direct gradient", 3 + parameters.Count));
        var inputs = new List<object>(3 + parameters.Count) { context, BackwardGuard.Signal(y0), y0 };
        inputs.AddRange(parameters);
        try
        {
            var ys = StagesFunction.apply([.. inputs])[0];
            return new OdeSolution(ts, ys, context.ForwardStats!);
        }
        finally
        {
            // autograd saved the states it needs (save_for_backward) when apply returned.
            context.Tape?.Dispose();
        }
    }

    internal sealed record Context(IOdeSystem System, IStepLoopSolver Solver, SolverOptions Options, double[] Times, BackwardSite Site)
    {
        public SolverStats? ForwardStats { get; set; }
        public StageTape? Tape { get; set; }
        public Tensor[] Parameters { get; set; } = [];
    }

    /// <summary>
    /// The autograd node: inputs <c>(context, failure signal, y0, θ₁…θₖ)</c>, output the trajectory. Its backward never
    /// throws (<see cref="BackwardGuard"/>).
    /// </summary>
    internal sealed class StagesFunction : autograd.MultiTensorFunction<StagesFunction>
    {
        public override string Name => nameof(StagesFunction);

        public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var c = (Context)vars[0];
            var y0 = ((Tensor)vars[2]).detach();
            c.Site.Remember(vars);
            c.Parameters = vars.Skip(3).Cast<Tensor>().ToArray();
            var tape = new StageTape(c.Solver.StageTableau(c.Options)!, c.Times.Length);
            c.Tape = tape;
            using var noGrad = no_grad();
            var solution = c.Solver.IntegrateRecordingStages(c.System, y0, tensor(c.Times, y0.dtype, y0.device), c.Options, tape);
            c.ForwardStats = solution.Stats;
            ctx.save_data("c", c);
            // The input y0 itself (not the detached copy): a create_graph backward recomputes the solve from it.
            ctx.save_for_backward(tape.Export((Tensor)vars[2]));
            return [solution.Ys];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
        {
            var c = (Context)ctx.get_data("c");
            return BackwardGuard.Run(c.Site, grads, () =>
            {
                // Grad mode is on in a backward pass only under create_graph: a gradient of the gradient was asked for.
                if (is_grad_enabled()) return DifferentiableBackward(c, c.Tape!.Saved(ctx.get_saved_variables()).State(0), grads[0]);
                var parameters = c.Parameters;
                var dParams = new Tensor?[parameters.Length];
                Tensor dy0;
                using (var scope = NewDisposeScope())
                using (var noGrad = no_grad())
                {
                    var states = c.Tape!.Saved(ctx.get_saved_variables());
                    dy0 = Sweep(c.System, c.Tape, states, grads[0], parameters, dParams).MoveToOuterDisposeScope();
                }
                var result = new List<Tensor> { null!, null!, dy0 };
                result.AddRange(dParams.Select(g => g!));
                return result;
            });
        }
    }

    /// <summary>
    /// A create_graph backward: the sweep's own operations are not differentiable, so the solve is recomputed from the saved
    /// y0 and the live parameters with autograd through every step (what direct backprop records without the stage
    /// adjoint) and that graph is differentiated with create_graph. The gradient is the same; its graph reaches y0, the
    /// parameters and the incoming cotangent, so second derivatives are those of the autograd path.
    /// </summary>
    static List<Tensor> DifferentiableBackward(Context c, Tensor y0, Tensor g)
    {
        var ts = tensor(c.Times, y0.dtype, y0.device);
        var ys = c.Solver.Integrate(c.System, y0, ts, c.Options).Ys;
        // Only what requires grad may be asked for (libtorch's error there would not become an exception).
        var wanted = new List<(int At, Tensor Value)>();
        if (y0.requires_grad) wanted.Add((2, y0));
        for (int p = 0; p < c.Parameters.Length; p++)
            if (c.Parameters[p].requires_grad) wanted.Add((3 + p, c.Parameters[p]));
        var result = new List<Tensor>(new Tensor[3 + c.Parameters.Length]);
        if (wanted.Count == 0 || !ys.requires_grad) return result;
        var grads = autograd.grad([ys], wanted.Select(w => w.Value).ToArray(), [g], retain_graph: true, create_graph: true, allow_unused: true);
        for (int w = 0; w < wanted.Count; w++)
            if (grads[w] is { IsInvalid: false } gw) result[wanted[w].At] = gw;
        return result;
    }
}
