using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// TorchSharp's Adam, AdamW, SGD and RMSprop with the same update, each hyper-parameter passed as a <see cref="Scalar"/> that stays
/// referenced across its native call. TorchSharp 0.107's own <c>step()</c> converts them implicitly
/// (<c>exp_avg.mul_(beta1)</c>, <c>addcmul_(…, value: 1 - beta2)</c>, <c>param.add_(grad, alpha: -lr)</c>, …), and a
/// garbage collection started by another thread during the native call may finalize the temporary Scalar while libtorch
/// still reads it (docs/notes/torchsharp-scalar-gc-race.md): measured, TorchSharp's Adam threw "toFloat at Scalar.h:140"
/// in the third epoch of an RK-Net trained beside a thread that forces collections, and the augmented-NODE example's test
/// failed once with "toDouble at Scalar.h:140" from it (its one flaky test; no such thread). These subclasses keep TorchSharp's
/// state, parameter groups and serialisation (checkpoints are unchanged), and their updates equal TorchSharp's bit for
/// bit (<c>GcSafeOptimizersTests</c>).
/// </summary>
/// <remarks>
/// The subclasses are named as TorchSharp's (<c>GcSafeOptimizers.Adam</c> …): TorchSharp writes the optimizer's type name
/// into its state stream and refuses a stream of another name, so checkpoints written before stay loadable.
/// </remarks>
internal static class GcSafeOptimizers
{
    /// <summary>
    /// One Adam or AdamW update of <paramref name="param"/> (PyTorch's single-tensor Adam, as TorchSharp runs it); nothing
    /// for a parameter without a gradient. Advances <paramref name="step"/>.
    /// </summary>
    static void AdamUpdate(Parameter param, bool maximize, ref long step, Tensor expAvg, Tensor expAvgSq, ref Tensor? maxExpAvgSq,
        AdamOptions o, bool decoupled)
    {
        var grad = param.grad is { } g && maximize ? -g : param.grad;
        if (grad is null) return;
        step += 1;
        double lr = o.LearningRate!.Value, beta1 = o.beta1!.Value, beta2 = o.beta2!.Value, weightDecay = o.weight_decay!.Value;
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        if (weightDecay != 0)
        {
            if (decoupled)
            {
                using var decay = (1 - lr * weightDecay).ToScalar();
                param.mul_(decay);
            }
            else
            {
                using var decay = weightDecay.ToScalar();
                grad = grad.add(param, decay);
            }
        }
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var epsilon = o.eps!.Value.ToScalar();
        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        expAvg.mul_(b1).add_(grad, oneMinusB1);
        expAvgSq.mul_(b2).addcmul_(grad, grad.conj(), oneMinusB2);
        Tensor second = expAvgSq;
        if (o.amsgrad!.Value)
        {
            var previous = maxExpAvgSq!;
            maxExpAvgSq = maximum(previous, expAvgSq).DetachFromDisposeScope();
            previous.Dispose();
            second = maxExpAvgSq;
        }
        // add_(Scalar) alone would create a temporary alpha Scalar 1 (the hidden alpha of add: docs/notes).
        var denom = ScalarOps.Div(second.sqrt(), Math.Sqrt(biasCorrection2)).add_(epsilon, ScalarOps.One);
        param.addcdiv_(expAvg, denom, stepSize);
    }

    // Adam's and AdamW's options have the same fields but are two types; this is what AdamUpdate reads.
    readonly record struct AdamOptions(double? LearningRate, double? beta1, double? beta2, double? eps, double? weight_decay, bool? amsgrad);

    /// <summary>TorchSharp's Adam without its Scalar race.</summary>
    internal sealed class Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double weightDecay)
        : TorchSharp.Modules.Adam(parameters, lr, beta1, beta2, weight_decay: weightDecay)
    {
        /// <inheritdoc />
        public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
        {
            var o = group.Options;
            var options = new AdamOptions(o.LearningRate, o.beta1, o.beta2, o.eps, o.weight_decay, o.amsgrad);
            foreach (var param in group.Parameters)
            {
                var state = (State)_state[param.Handle];
                AdamUpdate(param, o.maximize!.Value, ref state.step, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, options, decoupled: false);
            }
        }, closure);
    }

    /// <summary>TorchSharp's AdamW (decoupled weight decay) without its Scalar race.</summary>
    internal sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double weightDecay)
        : TorchSharp.Modules.AdamW(parameters, lr, beta1, beta2, weight_decay: weightDecay)
    {
        /// <inheritdoc />
        public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
        {
            var o = group.Options;
            var options = new AdamOptions(o.LearningRate, o.beta1, o.beta2, o.eps, o.weight_decay, o.amsgrad);
            foreach (var param in group.Parameters)
            {
                var state = (State)_state[param.Handle];
                AdamUpdate(param, o.maximize!.Value, ref state.step, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, options, decoupled: true);
            }
        }, closure);
    }

    /// <summary>
    /// TorchSharp's RMSprop (Hinton's; L2 decay, momentum, centered) without its Scalar race. torchdiffeq's spiral demo
    /// trains with it, so the side-by-side benchmark does too.
    /// </summary>
    internal sealed class RMSProp(IEnumerable<Parameter> parameters, double lr, double alpha, double weightDecay, double momentum, bool centered)
        : TorchSharp.Modules.RMSProp(parameters, lr, alpha, weight_decay: weightDecay, momentum: momentum, centered: centered)
    {
        /// <inheritdoc />
        public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
        {
            var o = group.Options;
            double alpha = o.alpha!.Value, momentum = o.momentum!.Value, lr = o.LearningRate!.Value;
            using var decay = o.weight_decay!.Value.ToScalar();
            using var smoothing = alpha.ToScalar();
            using var oneMinusAlpha = (1 - alpha).ToScalar();
            using var minusOne = (-1.0).ToScalar();
            using var epsilon = o.eps!.Value.ToScalar();
            using var mu = momentum.ToScalar();
            using var rate = (-lr).ToScalar();
            foreach (var param in group.Parameters)
            {
                var state = (State)_state[param.Handle];
                var grad = param.grad;
                if (grad is null) continue;
                if (o.maximize!.Value) grad = -grad;
                state.step += 1;
                if (o.weight_decay.Value != 0) grad = grad.add(param, decay);
                state.square_avg.mul_(smoothing).addcmul_(grad, grad, oneMinusAlpha);
                // add_(Scalar) and addcdiv_ without a value would each create a temporary Scalar 1 (see AdamUpdate).
                Tensor avg;
                if (o.centered!.Value)
                {
                    state.grad_avg.mul_(smoothing).add_(grad, oneMinusAlpha);
                    avg = state.square_avg.addcmul(state.grad_avg, state.grad_avg, minusOne).sqrt_().add_(epsilon, ScalarOps.One);
                }
                else avg = state.square_avg.sqrt().add_(epsilon, ScalarOps.One);
                if (momentum > 0)
                {
                    state.momentum_buffer.mul_(mu).addcdiv_(grad, avg, ScalarOps.One);
                    param.add_(state.momentum_buffer, rate);
                }
                else param.addcdiv_(grad, avg, rate);
            }
        }, closure);
    }

    /// <summary>TorchSharp's SGD (momentum, dampening, Nesterov, L2 decay) without its Scalar race.</summary>
    internal sealed class SGD(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay)
        : TorchSharp.Modules.SGD(parameters, lr, momentum, weight_decay: weightDecay)
    {
        /// <inheritdoc />
        public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
        {
            var o = group.Options;
            double momentum = o.momentum!.Value, lr = o.LearningRate!.Value;
            using var decay = o.weight_decay!.Value.ToScalar();
            using var mu = momentum.ToScalar();
            using var undamped = (1 - o.dampening!.Value).ToScalar();
            using var rate = (o.maximize!.Value ? lr : -lr).ToScalar();
            foreach (var param in group.Parameters)
            {
                var state = (State)_state[param.Handle];
                var grad = param.grad;
                if (grad is null) continue;
                if (o.weight_decay.Value != 0) grad = grad.add(param, decay);
                if (momentum != 0)
                {
                    var buffer = state.momentum_buffer;
                    if (buffer is null) state.momentum_buffer = buffer = grad.clone().detach().DetachFromDisposeScope();
                    else buffer.mul_(mu).add_(grad, undamped);
                    grad = o.nesterov!.Value ? grad.add(buffer, mu) : buffer;
                }
                param.add_(grad, rate);
            }
        }, closure);
    }
}
