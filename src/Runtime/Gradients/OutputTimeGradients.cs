using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// ∂L/∂ts for any gradient method, from two identities of the flow map (Chen et al. 2018, Appendix B):
/// moving an output time <c>t_i</c> (i ≥ 1) moves only <c>y(t_i)</c>, by <c>f(t_i, y(t_i))</c>, so
/// <c>∂L/∂t_i = g_iᵀ f(t_i, y(t_i))</c> with <c>g_i = ∂L/∂y(t_i)</c>; moving <c>t_0</c> with <c>y_0</c> fixed shifts the
/// whole trajectory, so <c>∂L/∂t_0 = −a(t_0⁺)ᵀ f(t_0, y_0)</c> where <c>a(t_0⁺)</c> is the gradient reaching <c>y_0</c>
/// through the solve (excluding <c>g_0</c>). Both hold for time-dependent rates, so no <c>∂f/∂t</c> integral is needed.
/// </summary>
/// <remarks>
/// Two autograd nodes carry this: <see cref="AnchorInitialState"/> sits between <c>y_0</c> and the solve and sees
/// <c>a(t_0⁺)</c>; <see cref="AttachOutputs"/> sits on the returned trajectory (whose row 0 is <c>y_0</c> itself, so
/// <c>g_0</c> bypasses the anchor) and sees every <c>g_i</c>. Each returns its part of ∂L/∂ts; autograd adds them.
/// Cost: one rates evaluation per output time, in the backward pass, only when <c>ts</c> requires grad. The nodes' inputs
/// are <c>(context, failure signal, y, ts)</c>; their backward never throws (<see cref="BackwardGuard"/>).
/// </remarks>
internal static class OutputTimeGradients
{
    /// <summary>A copy of <paramref name="y0"/> to start the solve from; its backward adds ∂L/∂t_0 to <paramref name="ts"/>.</summary>
    public static Tensor AnchorInitialState(IOdeSystem system, Tensor y0, Tensor ts, GradientReport? report = null)
        => InitialTimeNode.apply(Context(system, ts, report), BackwardGuard.Signal(y0), y0, ts)[0];

    /// <summary>
    /// The trajectory to return: <paramref name="solved"/> with row 0 replaced by <paramref name="y0"/>; its backward
    /// adds ∂L/∂t_i (i ≥ 1) to <paramref name="ts"/>.
    /// </summary>
    public static Tensor AttachOutputs(IOdeSystem system, Tensor y0, Tensor solved, Tensor ts, GradientReport? report = null)
    {
        using var scope = NewDisposeScope();
        var ys = cat([y0.unsqueeze(0), solved.narrow(0, 1, solved.shape[0] - 1)]);
        return OutputTimesNode.apply(Context(system, ts, report), BackwardGuard.Signal(y0), ys, ts)[0].MoveToOuterDisposeScope();
    }

    static TimeContext Context(IOdeSystem system, Tensor ts, GradientReport? report)
        => new(system, SolveArguments.HostTimes(ts), report, new BackwardSite($"output-time gradients ({report?.Method ?? "direct"})", 4));

    internal sealed record TimeContext(IOdeSystem System, double[] Times, GradientReport? Report, BackwardSite Site);

    /// <summary>Rates at one time under no-grad, for the time-gradient formulas.</summary>
    static Tensor RatesAt(TimeContext c, double t, Tensor y)
    {
        using var noGrad = no_grad();
        c.Report?.AddBackwardEvaluations(1);
        return c.System.Rates(tensor(t, y.dtype, y.device), y);
    }

    /// <summary>
    /// An identity node on a tensor <c>x</c> (input 2) whose backward passes ∂L/∂x through and returns ∂L/∂ts from
    /// <see cref="TimeGradients"/>; its inputs are <c>(context, failure signal, x, ts)</c>.
    /// </summary>
    internal abstract class TimeNode<TSelf> : autograd.MultiTensorFunction<TSelf> where TSelf : TimeNode<TSelf>, new()
    {
        public override string Name => typeof(TSelf).Name;

        public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[2];
            ctx.save_data("c", vars[0]);
            ((TimeContext)vars[0]).Site.Remember(vars);
            ctx.save_for_backward([x.detach()]);
            return [x.clone()];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
        {
            var c = (TimeContext)ctx.get_data("c");
            return BackwardGuard.Run(c.Site, grads, () =>
            {
                var g = grads[0];
                var dts = zeros(c.Times.Length, g.dtype, g.device);
                TimeGradients(c, ctx.get_saved_variables()[0], g, dts);
                return [null!, null!, g, dts];
            });
        }

        /// <summary>Writes ∂L/∂ts into <paramref name="dts"/> from the saved <paramref name="x"/> and its gradient <paramref name="g"/>.</summary>
        protected abstract void TimeGradients(TimeContext c, Tensor x, Tensor g, Tensor dts);
    }

    /// <summary>On y₀: ∂L/∂t₀ = −a(t₀⁺)ᵀ f(t₀, y₀).</summary>
    internal sealed class InitialTimeNode : TimeNode<InitialTimeNode>
    {
        protected override void TimeGradients(TimeContext c, Tensor y0, Tensor a, Tensor dts)
        {
            using var scope = NewDisposeScope();
            dts[0] = a.mul(RatesAt(c, c.Times[0], y0)).sum().neg();
        }
    }

    /// <summary>On the trajectory: ∂L/∂t_i = g_iᵀ f(t_i, y(t_i)) for i ≥ 1.</summary>
    internal sealed class OutputTimesNode : TimeNode<OutputTimesNode>
    {
        protected override void TimeGradients(TimeContext c, Tensor ys, Tensor g, Tensor dts)
        {
            for (int i = 1; i < c.Times.Length; i++)
            {
                using var scope = NewDisposeScope();
                dts[i] = g[i].mul(RatesAt(c, c.Times[i], ys[i])).sum();
            }
        }
    }
}
