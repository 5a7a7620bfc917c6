using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Direct backpropagation through an explicit Runge–Kutta solve as one autograd node: the forward pass solves without a
/// graph and records every accepted step's stage states (<see cref="StageTape"/>); the backward pass is the exact discrete
/// adjoint of those steps, one <see cref="IRatesVjp.Vjp"/> per stage, so autograd walks one node instead of ~8 per stage.
/// The gradient is the one autograd computes through the steps (step sizes and accept/reject decisions are constants, as
/// in autograd), up to the order of floating-point sums.
/// </summary>
/// <remarks>
/// <para>For a step <c>Y_i = y_n + h Σ_{j&lt;i} a_ij k_j</c>, <c>k_i = f(t_n + c_i h, Y_i)</c>, <c>y_{n+1} = y_n + h Σ b_j k_j</c>
/// and a cotangent <c>ȳ_{n+1}</c>: <c>k̄_j = h b_j ȳ_{n+1}</c> (plus what dense outputs in the step add), then for
/// i = s−1 … 0: <c>Ȳ_i = k̄_iᵀ ∂f/∂y(Y_i)</c>, <c>θ̄ += k̄_iᵀ ∂f/∂θ(Y_i)</c>, <c>k̄_j += h a_ij Ȳ_i</c> (j &lt; i) and
/// <c>ȳ_n = ȳ_{n+1} + Σ_i Ȳ_i</c> (Hairer, Lubich &amp; Wanner; Sandu 2006, "On the properties of Runge–Kutta discrete
/// adjoints").</para>
/// <para>Stage 0 is <c>f(t_n, y_n)</c>, which the step loop evaluates once per accepted step; for a first-same-as-last
/// method it is the previous step's last stage (the same point), so its cotangent is carried into that stage's VJP instead
/// of paying a second one. The cubic Hermite output of a step reads <c>f(t_n, y_n)</c> and <c>f(t_{n+1}, y_{n+1})</c>, so
/// every output's cotangent is distributed onto states, rates and stages before the reverse sweep.</para>
/// <para>Used by <see cref="DirectBackprop"/> when the system declares <see cref="IStageVjp"/> and the solver can record its
/// stages (<see cref="IStepLoopSolver.StageTableau"/>); otherwise autograd records the steps. Like autograd's own nodes of a
/// first-order pass, the backward is not itself differentiable (no <c>create_graph</c>).</para>
/// </remarks>
internal static class StageAdjoint
{
    /// <summary>True when direct backprop of this solve can run as the discrete adjoint of the recorded stages.</summary>
    public static bool Applies(IOdeSystem system, IOdeSolver solver, SolverOptions options)
        => system is IStageVjp and IRatesVjp && solver is IStepLoopSolver loop && loop.StageTableau(options) is not null;

    /// <summary>Solves and returns the trajectory <c>[T, batch, n]</c> as the output of one autograd node.</summary>
    public static OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IStepLoopSolver solver, SolverOptions options)
    {
        var vjp = (IRatesVjp)system;
        var parameters = vjp.Parameters;
        var context = new Context(system, vjp, solver, options, SolveArguments.HostTimes(ts), new BackwardSite("direct gradient", 3 + parameters.Count));
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

    internal sealed record Context(IOdeSystem System, IRatesVjp Vjp, IStepLoopSolver Solver, SolverOptions Options, double[] Times, BackwardSite Site)
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
            ctx.save_for_backward(tape.Export(y0));
            return [solution.Ys];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
        {
            var c = (Context)ctx.get_data("c");
            return BackwardGuard.Run(c.Site, grads, () =>
            {
                var parameters = c.Parameters;
                var dParams = new Tensor?[parameters.Length];
                Tensor dy0;
                using (var scope = NewDisposeScope())
                using (var noGrad = no_grad())
                {
                    var states = c.Tape!.Saved(ctx.get_saved_variables());
                    dy0 = Sweep(c.Vjp, c.Tape, states, grads[0], parameters, dParams).MoveToOuterDisposeScope();
                }
                var result = new List<Tensor> { null!, null!, dy0 };
                result.AddRange(dParams.Select(g => g!));
                return result;
            });
        }
    }

    /// <summary>The reverse sweep over the recorded steps; returns ∂L/∂y0 and fills <paramref name="dParams"/> (outside any dispose scope).</summary>
    static Tensor Sweep(IRatesVjp vjp, StageTape tape, StageTape.States states, Tensor g, Tensor[] parameters, Tensor?[] dParams)
    {
        var tab = tape.Tableau;
        int s = tab.Stages, steps = tape.Count;
        bool fsal = tab.IsFsal;
        var active = parameters.Select(p => p.requires_grad).ToArray();
        var cot = Cotangents.Distribute(tape, g, s);
        Tensor State(int n) => states.State(n);
        // Cotangent of y_{n+1} from the steps after n, and of f(t_{n+1}, y_{n+1}) still to be paid for.
        Tensor? yBar = null, fBar = cot.F[steps];
        if (!fsal && fBar is not null)
        {
            // f(t_N, y_N) was read only by the last step's Hermite output: its own VJP.
            yBar = Accumulate(yBar, StageVjp(vjp, tape.T0(steps - 1) + tape.H(steps - 1), State(steps), fBar, active, dParams), 1);
            fBar = null;
        }
        var kBar = new Tensor?[s];
        for (int n = steps - 1; n >= 0; n--)
        {
            double h = tape.H(n), t0 = tape.T0(n);
            var y1Bar = Accumulate(yBar, cot.Y[n + 1], 1);
            for (int j = 0; j < s; j++)
            {
                kBar[j] = cot.K[n]?[j];
                if (y1Bar is not null && tab.B[j] != 0) kBar[j] = Accumulate(kBar[j], y1Bar, h * tab.B[j]);
            }
            // First same as last: f(t_{n+1}, y_{n+1}) is this step's last stage.
            if (fsal) kBar[s - 1] = Accumulate(kBar[s - 1], fBar, 1);
            var y0Bar = y1Bar;
            for (int i = s - 1; i >= 0; i--)
            {
                if (i == 0) kBar[0] = Accumulate(kBar[0], cot.F[n], 1);
                if (kBar[i] is not { } ki) continue;
                // A first-same-as-last method's stage 0 is the previous step's last stage: paid for there.
                if (i == 0 && fsal && n > 0) break;
                var stage = i == 0 ? State(n) : states.Stage(n, i);
                var stageBar = StageVjp(vjp, t0 + tab.C[i] * h, stage, ki, active, dParams);
                y0Bar = Accumulate(y0Bar, stageBar, 1);
                var a = tab.A[i];
                for (int j = 0; j < i && j < a.Length; j++)
                    if (a[j] != 0) kBar[j] = Accumulate(kBar[j], stageBar, h * a[j]);
            }
            fBar = fsal ? kBar[0] : null;
            yBar = y0Bar;
        }
        return Accumulate(yBar, cot.Y[0], 1) ?? zeros_like(State(0));
    }

    // One stage's VJP: adds kᵀ∂f/∂θ into the parameter gradients (outside every dispose scope) and returns kᵀ∂f/∂y.
    static Tensor StageVjp(IRatesVjp vjp, double t, Tensor y, Tensor k, bool[] active, Tensor?[] dParams)
    {
        var r = vjp.Vjp(tensor(t, y.dtype, y.device), y, k);
        for (int p = 0; p < dParams.Length; p++)
        {
            if (!active[p] || r.VjpParams[p] is not { } gp) continue;
            if (dParams[p] is { } sum) sum.add_(gp);
            // A copy of our own: the VJP's result may share storage with its inputs (x' = y).
            else dParams[p] = gp.clone().DetachFromDisposeScope();
        }
        return r.VjpY;
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
