using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace AugmentedNode;

/// <summary>
/// Huber loss (PyTorch's SmoothL1Loss with δ = 1, Dupont et al.'s choice for ±1 targets): ½e² for |e| ≤ δ, δ(|e| − ½δ)
/// beyond; averaged over the entries.
/// </summary>
public static class HuberLoss
{
    /// <summary>Mean Huber loss of <paramref name="prediction"/> against <paramref name="target"/> (same shape).</summary>
    public static Tensor Mean(Tensor prediction, Tensor target, double delta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException(
                $"Prediction [{string.Join(", ", prediction.shape)}] and target [{string.Join(", ", target.shape)}] differ in shape; squeeze the read-out to [batch].");
        if (!(delta > 0)) throw new ArgumentException($"δ must be positive, not {delta}.", nameof(delta));
        using var scope = NewDisposeScope();
        var e = (prediction - target).abs();
        // q = min(|e|, δ): ½q² + δ(|e| − q) is ½e² inside and δ|e| − ½δ² outside, one smooth expression.
        var q = ScalarOps.ClampMax(e, delta);
        var loss = ScalarOps.Mul(q.square(), 0.5) + ScalarOps.Mul(e - q, delta);
        return loss.mean().MoveToOuterDisposeScope();
    }
}
