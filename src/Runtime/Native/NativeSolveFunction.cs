using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The autograd node of one native solve: inputs <c>(run, failure signal, y0, θ₁…θₖ[, inputs])</c> — the model's
/// <see cref="IRatesVjp.Parameters"/> — and output the trajectory <c>[T, batch, n]</c>. Its forward runs the whole solve
/// on the kernels; its backward runs the chosen adjoint on them. The backward never throws (<see cref="BackwardGuard"/>).
/// </summary>
internal sealed class NativeSolveFunction : autograd.MultiTensorFunction<NativeSolveFunction>
{
    public override string Name => nameof(NativeSolveFunction);

    /// <summary>What the node carries from forward to backward.</summary>
    internal sealed record Context(INativeRun Run, BackwardSite Site);

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var c = (Context)vars[0];
        var y0 = (Tensor)vars[2];
        var ys = c.Run.Forward(y0);
        ctx.save_data("c", c);
        return [ys];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var c = (Context)ctx.get_data("c");
        return BackwardGuard.Run(c.Site, grads, () =>
        {
            var (dy0, dParams) = c.Run.Backward(grads[0]);
            var result = new List<Tensor> { null!, null!, dy0 };
            result.AddRange(dParams.Select(g => g!));
            return result;
        });
    }
}
