using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// What keeps a bad step off the weights, at one host read per batch: after <c>backward()</c> it clips the gradients
/// (when configured) and reads the data loss, the regulariser, the total loss and the global norms of the gradients and
/// of the weights together, so the trainer can refuse the step before <c>optimizer.step()</c>.
/// </summary>
/// <remarks>
/// A norm is finite exactly when every entry is and the norm itself does not overflow (entries of enormous magnitude,
/// where a step is useless anyway), so two norms stand for all the per-tensor finiteness
/// checks: a few ops per parameter tensor and one host read, where the old loop read loss and regulariser separately
/// (and clipping read the norm). Clipping follows libtorch's
/// <c>clip_grad_norm_</c> operation for operation (so results are unchanged) without its host read of the norm.
/// </remarks>
internal sealed class StepGuard(IReadOnlyList<Parameter> parameters, double? clipNorm)
{
    /// <summary>Host values of one batch: losses and the global L2 norms of gradients (before clipping) and weights.</summary>
    public readonly record struct Reading(double DataLoss, double Regularizer, double Total, double GradientNorm, double WeightNorm)
    {
        /// <summary>True when loss, gradients and weights are all finite.</summary>
        public bool IsFinite => double.IsFinite(Total) && double.IsFinite(GradientNorm) && double.IsFinite(WeightNorm);
    }

    /// <summary>After <c>backward()</c>: clips the gradients when configured and reads everything in one host sync.</summary>
    public Reading ClipAndRead(TrainingObjective.Result result)
    {
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0) return Read(result, null);
        var gradientNorm = GlobalNorm(grads);
        if (clipNorm is { } max)
        {
            // clip_coef = max / (‖g‖ + 1e-6), clamped to 1 (libtorch writes max / t as t.reciprocal() * max).
            var coefficient = ScalarOps.ClampMax(ScalarOps.Mul(ScalarOps.Add(gradientNorm, 1e-6).reciprocal(), max), 1.0);
            foreach (var g in grads) g.mul_(coefficient);
        }
        return Read(result, gradientNorm);
    }

    /// <summary>Reads the losses and the weight norm only (after an L-BFGS step, whose gradients stay inside it).</summary>
    public Reading ReadWithoutGradients(TrainingObjective.Result result)
    {
        using var scope = NewDisposeScope();
        return Read(result, null);
    }

    /// <summary>The global norm of the weights, read to the host (NaN or infinite when a weight is).</summary>
    public double WeightNorm()
    {
        using var scope = NewDisposeScope();
        return GlobalNorm(parameters.Select(p => p.detach()).ToArray()).to(ScalarType.Float64).cpu().item<double>();
    }

    Reading Read(TrainingObjective.Result result, Tensor? gradientNorm)
    {
        var device = result.DataLoss.device;
        Tensor Host(Tensor? x) => x is null ? zeros(1, ScalarType.Float64, device) : x.detach().to(ScalarType.Float64).reshape(1);
        var weightNorm = GlobalNorm(parameters.Select(p => p.detach()).ToArray());
        using var packed = cat([Host(result.DataLoss), Host(result.Regularizer), Host(result.Total), Host(gradientNorm), Host(weightNorm)]).cpu();
        var v = packed.data<double>().ToArray();
        return new Reading(v[0], v[1], v[2], v[3], v[4]);
    }

    /// <summary>The first parameter whose gradient (<paramref name="gradients"/>) or value is not finite, by name (failure path only).</summary>
    public static string? FirstNonFinite(nn.Module module, bool gradients)
    {
        foreach (var (name, p) in module.named_parameters())
        {
            var x = gradients ? p.grad : p;
            if (x is null) continue;
            using var finite = x.detach().isfinite().all();
            if (!finite.item<bool>()) return name;
        }
        return null;
    }

    // ‖(‖x₁‖, …, ‖xₖ‖)‖₂ as libtorch's clip_grad_norm_ computes it (one tensor: its own norm); a module that mixes
    // dtypes gets its norms in float64, which stack accepts.
    static Tensor GlobalNorm(Tensor[] tensors)
    {
        var norms = tensors.Select(x => x.norm()).ToArray();
        if (norms.Select(n => n.dtype).Distinct().Count() > 1) norms = norms.Select(n => n.to(ScalarType.Float64)).ToArray();
        return norms.Length == 1 ? norms[0] : stack(norms).norm();
    }
}
