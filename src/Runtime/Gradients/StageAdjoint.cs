using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Direct backpropagation through an explicit Runge–Kutta solve as one autograd node: the forward pass solves without a
/// graph and records every accepted step's stage states (<see cref="StageTape"/>); the backward pass is the exact discrete
/// adjoint of those steps. Per block of steps it evaluates the rates once with a graph on all the block's stage points
/// stacked into one batch, takes every point's Jacobian <c>∂f/∂y</c> (n × n per row; small states only) from n backward
/// passes of that one graph, sweeps the stages backwards with one batched matrix–vector product per stage, and gets the
/// parameter gradient from one more backward pass with all stage cotangents at once. So the per-stage work of autograd
/// through the steps (a ~6-node graph per evaluation in the forward pass, ~12 small kernels per stage in the backward pass,
/// the parameter products among them) becomes a few large operations per block plus ~3 small ones per stage: the spiral
/// demo's rk4 training iteration takes ~40 % less time (bench/README.md). The gradient is the one autograd computes
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
internal static class StageAdjoint
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

    /// <summary>
    /// The reverse sweep over the recorded steps; returns ∂L/∂y0 and fills <paramref name="dParams"/> (outside any dispose
    /// scope). It runs over blocks of steps from the last: per block, one rates evaluation on all its stage points stacked
    /// gives their Jacobians (<see cref="Block"/>), the sweep through the block's stages is one batched matrix–vector product
    /// per stage, and one backward pass of the stacked evaluation with the stage cotangents gives the block's <c>θ̄</c>.
    /// </summary>
    static Tensor Sweep(IOdeSystem system, StageTape tape, StageTape.RecordedStates states, Tensor g, Tensor[] parameters, Tensor?[] dParams)
    {
        var tab = tape.Tableau;
        int s = tab.Stages, steps = tape.Count;
        bool fsal = tab.IsFsal;
        // Every cotangent of the sweep is [batch, 1, n], the row-vector shape of the stage pull k̄ᵀJ (one bmm per stage).
        var cot = Cotangents.Distribute(tape, g.unsqueeze(2), s);
        var y0 = states.State(0);
        long batch = y0.shape[0], n = y0.shape[1];
        long blockRows = BlockRowsOverride > 0 ? BlockRowsOverride : MaxBlockRows;
        int stepsPerBlock = (int)Math.Max(1, blockRows / (s * batch * n));
        // Cotangent of y_{n+1} from the steps after n, and of f(t_{n+1}, y_{n+1}) still to be paid for.
        Tensor? yBar = null, fBar = cot.F[steps];
        var kBar = new Tensor?[s];
        for (int last = steps; last > 0; last -= stepsPerBlock)
        {
            int first = Math.Max(0, last - stepsPerBlock);
            using var blockScope = NewDisposeScope();
            // f(t_N, y_N) read only by the last step's Hermite output (not first same as last) is one more point.
            bool endPoint = last == steps && !fsal && fBar is not null;
            var block = Block.Create(system, tape, states, first, last, endPoint);
            if (endPoint)
            {
                yBar = Accumulate(yBar, block.Pull(block.EndPoint, fBar!), 1);
                fBar = null;
            }
            for (int step = last - 1; step >= first; step--)
            {
                double h = tape.H(step);
                var y1Bar = Accumulate(yBar, cot.Y[step + 1], 1);
                for (int j = 0; j < s; j++)
                {
                    kBar[j] = cot.K[step]?[j];
                    if (y1Bar is not null && tab.B[j] != 0) kBar[j] = Accumulate(kBar[j], y1Bar, h * tab.B[j]);
                }
                // First same as last: f(t_{n+1}, y_{n+1}) is this step's last stage.
                if (fsal) kBar[s - 1] = Accumulate(kBar[s - 1], fBar, 1);
                var y0Bar = y1Bar;
                for (int i = s - 1; i >= 0; i--)
                {
                    if (i == 0) kBar[0] = Accumulate(kBar[0], cot.F[step], 1);
                    if (kBar[i] is not { } ki) continue;
                    // A first-same-as-last method's stage 0 is the previous step's last stage: paid for there.
                    if (i == 0 && fsal && step > 0) break;
                    var stageBar = block.Pull(block.Point(step, i), ki);
                    y0Bar = Accumulate(y0Bar, stageBar, 1);
                    var a = tab.A[i];
                    for (int j = 0; j < i && j < a.Length; j++)
                        if (a[j] != 0) kBar[j] = Accumulate(kBar[j], stageBar, h * a[j]);
                }
                fBar = fsal ? kBar[0] : null;
                yBar = y0Bar;
            }
            block.AddParameterGradients(parameters, dParams);
            yBar = KeepOutside(yBar, blockScope);
            fBar = KeepOutside(fBar, blockScope);
        }
        return Accumulate(yBar, cot.Y[0], 1)?.squeeze(1) ?? zeros_like(y0);
    }

    // A block's rows × n (stage points × batch × n): at most 2^16, so its graph's activations stay a few MB and its
    // Jacobians (rows × n values) at most 512 KB in float64. The spiral's rk4 windows (37 points × 20 rows × 2 = 1 480)
    // fit in one block.
    const long MaxBlockRows = 1L << 16;

    /// <summary>Tests set a smaller block (rows per Jacobian call) on their thread to cross block boundaries; 0: the default.</summary>
    [ThreadStatic] internal static long BlockRowsOverride;

    // A tensor the sweep carries across blocks: a handle in the backward's scope, not the block's.
    static Tensor? KeepOutside(Tensor? x, DisposeScope blockScope)
        => x is null ? null : (blockScope.Contains(x) ? x : x.alias()).MoveToOuterDisposeScope();

    /// <summary>
    /// The stage points of steps <c>[first, last)</c> stacked into one batch (point <c>m·s + i</c> is stage i of step
    /// <c>first + m</c>; stage 0 is the step's start state; then the end state when asked), evaluated once with a graph:
    /// the Jacobians <c>∂f/∂y</c> of every row at every point from n backward passes of it (row j of each Jacobian from the
    /// cotangent <c>e_j</c> on every row), the stage cotangents the sweep pulls through them, and the parameter gradient
    /// <c>Σ_points k̄ᵀ∂f/∂θ</c> from one last backward pass with those cotangents (autograd sums the parameter products over
    /// the rows). Exact: the same derivatives as autograd through each stage, summed in another order. Needs rates whose
    /// rows are independent (<see cref="IStageVjp.RowsStack"/>).
    /// </summary>
    sealed class Block
    {
        readonly Tensor _y, _f;
        readonly Tensor[] _jacobians;
        readonly Tensor?[] _cotangents;
        readonly int _first, _stages;

        Block(Tensor y, Tensor f, Tensor[] jacobians, int first, int stages)
        {
            (_y, _f, _jacobians, _first, _stages) = (y, f, jacobians, first, stages);
            _cotangents = new Tensor?[jacobians.Length];
        }

        public static Block Create(IOdeSystem system, StageTape tape, StageTape.RecordedStates states, int first, int last, bool endPoint)
        {
            var tab = tape.Tableau;
            int s = tab.Stages, points = (last - first) * s + (endPoint ? 1 : 0);
            var y0 = states.State(0);
            long batch = y0.shape[0], n = y0.shape[1];
            var ys = new Tensor[points];
            var times = new double[points * batch];
            for (int step = first; step < last; step++)
                for (int i = 0; i < s; i++)
                {
                    int p = (step - first) * s + i;
                    ys[p] = i == 0 ? states.State(step) : states.Stage(step, i);
                    Array.Fill(times, tape.T0(step) + tab.C[i] * tape.H(step), (int)(p * batch), (int)batch);
                }
            if (endPoint)
            {
                ys[^1] = states.State(last);
                Array.Fill(times, tape.T0(last - 1) + tape.H(last - 1), (int)((points - 1) * batch), (int)batch);
            }
            long rows = points * batch;
            var y = cat(ys).requires_grad_(true);
            var t = tensor(times, new long[] { rows, 1 }, y0.dtype, y0.device);
            Tensor f;
            using (enable_grad()) f = system.Rates(t, y);
            // Row j of every Jacobian: the gradient of Σ f_j with respect to the stacked states (rows are independent).
            // (TorchSharp's autograd.grad does not turn libtorch's errors into exceptions: ask only what the graph has.)
            var jacobianRows = new Tensor[n];
            for (int j = 0; j < n; j++)
            {
                Tensor? row = null;
                if (f.requires_grad)
                {
                    var unit = zeros(new long[] { rows, n }, y0.dtype, y0.device);
                    unit.select(1, j).fill_(ScalarOps.One);
                    row = autograd.grad([f], [y], [unit], retain_graph: true, allow_unused: true)[0];
                }
                // f does not depend on y (nor, for f without a graph, on anything): that row of the Jacobian is zero.
                jacobianRows[j] = row is { IsInvalid: false } ? row : zeros(new long[] { rows, n }, y0.dtype, y0.device);
            }
            // [points·batch, n (row j), n] → [points, batch, n, n]: J[p][b][j][:] = ∂f_j/∂y at point p, row b.
            var jacobians = stack(jacobianRows, 1).view(points, batch, n, n).unbind(0);
            return new Block(y, f, jacobians, first, s);
        }

        /// <summary>The point of stage <paramref name="stage"/> of step <paramref name="step"/>.</summary>
        public int Point(int step, int stage) => (step - _first) * _stages + stage;

        /// <summary>The end state's point (only when the block was created with it).</summary>
        public int EndPoint => _jacobians.Length - 1;

        /// <summary><c>k̄ᵀ∂f/∂y</c> at <paramref name="point"/> (<paramref name="k"/> and the result <c>[batch, 1, n]</c>); remembers <paramref name="k"/> for the parameter gradient.</summary>
        public Tensor Pull(int point, Tensor k)
        {
            _cotangents[point] = k;
            return k.bmm(_jacobians[point]);
        }

        /// <summary>Adds <c>Σ_points k̄ᵀ∂f/∂θ</c> into <paramref name="dParams"/> (outside every dispose scope) and frees the graph.</summary>
        public void AddParameterGradients(Tensor[] parameters, Tensor?[] dParams)
        {
            var wanted = Enumerable.Range(0, parameters.Length).Where(p => parameters[p].requires_grad).ToArray();
            // Rates without a graph depend on no parameter: every θ̄ of this block is zero.
            if (wanted.Length == 0 || !_f.requires_grad) return;
            Tensor? zero = null;
            var k = cat(_cotangents.Select(c => c ?? (zero ??= zeros_like(_jacobians[0].narrow(1, 0, 1)))).ToArray()).view(_y.shape);
            var grads = autograd.grad([_f], wanted.Select(p => parameters[p]).ToArray(), [k], allow_unused: true);
            for (int w = 0; w < wanted.Length; w++)
            {
                int p = wanted[w];
                if (grads[w] is not { IsInvalid: false } gp) continue;
                if (dParams[p] is { } sum) sum.add_(gp);
                else dParams[p] = gp.DetachFromDisposeScope();
            }
        }
    }

    // acc + c·x without touching either (null stands for zero).
    static Tensor? Accumulate(Tensor? acc, Tensor? x, double c)
    {
        if (x is null) return acc;
        if (acc is null) return c == 1 ? x : ScalarOps.Mul(x, c);
        return ScalarOps.Add(acc, x, c);
    }

    /// <summary>
    /// The output cotangents distributed onto what each output read: the states <c>y_n</c> (<see cref="Y"/>, n = 0…N), the
    /// rates <c>f(t_n, y_n)</c> (<see cref="F"/>, Hermite outputs) and the stages of step n (<see cref="K"/>, the tableau's
    /// own dense output). Null entries are zero.
    /// </summary>
    sealed record Cotangents(Tensor?[] Y, Tensor?[] F, Tensor?[]?[] K)
    {
        public static Cotangents Distribute(StageTape tape, Tensor g, int stages)
        {
            int steps = tape.Count;
            var y = new Tensor?[steps + 1];
            var f = new Tensor?[steps + 1];
            var k = new Tensor?[]?[steps];
            var dense = tape.Tableau.Dense;
            y[0] = g[0];
            for (int output = 1; output < tape.Outputs; output++)
            {
                var (n, theta) = tape.OutputSource(output);
                var go = g[output];
                double h = tape.H(n);
                if (theta == 1)
                {
                    y[n + 1] = Accumulate(y[n + 1], go, 1);
                }
                else if (dense is not null)
                {
                    // y0 + h Σ_j b_j(θ) k_j (TableauDenseOutput).
                    y[n] = Accumulate(y[n], go, 1);
                    var kn = k[n] ??= new Tensor?[stages];
                    for (int j = 0; j < dense.Count; j++)
                    {
                        double power = theta, w = 0;
                        foreach (var coefficient in dense[j]) { w += coefficient * power; power *= theta; }
                        if (w != 0) kn[j] = Accumulate(kn[j], go, h * w);
                    }
                }
                else
                {
                    // h00 y0 + h01 y1 + h·h10 f0 + h·h11 f1 (HermiteDenseOutput).
                    double t2 = theta * theta, t3 = t2 * theta;
                    y[n] = Accumulate(y[n], go, 2 * t3 - 3 * t2 + 1);
                    y[n + 1] = Accumulate(y[n + 1], go, -2 * t3 + 3 * t2);
                    f[n] = Accumulate(f[n], go, h * (t3 - 2 * t2 + theta));
                    f[n + 1] = Accumulate(f[n + 1], go, h * (t3 - t2));
                }
            }
            return new Cotangents(y, f, k);
        }
    }
}
