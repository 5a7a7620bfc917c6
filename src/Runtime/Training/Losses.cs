using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// A loss between a prediction and a target of the same shape; <paramref name="mask"/> (boolean, same shape, or null)
/// selects the scored entries.
/// </summary>
public delegate Tensor LossFunction(Tensor prediction, Tensor target, Tensor? mask);

/// <summary>Mean squared and mean absolute errors, plain and masked.</summary>
/// <remarks>
/// Masked losses average over the scored entries only: <c>Σ mask·e / max(Σ mask, 1)</c>. Unscored entries take no
/// part in the value or the gradient, even when the target holds NaN there. A mask with no scored entry gives 0.
/// </remarks>
public static class Losses
{
    /// <summary>Mean squared error over all entries.</summary>
    public static Tensor Mse(Tensor prediction, Tensor target) => Mse(prediction, target, null);

    /// <summary>Mean squared error over the entries selected by <paramref name="mask"/> (all when null).</summary>
    public static Tensor Mse(Tensor prediction, Tensor target, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        return MaskedMean(ScalarOps.Square(Difference(prediction, target, mask)), mask).MoveToOuterDisposeScope();
    }

    /// <summary>Mean absolute error over all entries.</summary>
    public static Tensor L1(Tensor prediction, Tensor target) => L1(prediction, target, null);

    /// <summary>Mean absolute error over the entries selected by <paramref name="mask"/> (all when null).</summary>
    public static Tensor L1(Tensor prediction, Tensor target, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        return MaskedMean(Difference(prediction, target, mask).abs(), mask).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Mse(Tensor, Tensor, Tensor?)"/> as a <see cref="LossFunction"/>.</summary>
    public static LossFunction MeanSquared { get; } = Mse;

    /// <summary><see cref="L1(Tensor, Tensor, Tensor?)"/> as a <see cref="LossFunction"/>.</summary>
    public static LossFunction MeanAbsolute { get; } = L1;

    static Tensor Difference(Tensor prediction, Tensor target, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException(
                $"Prediction [{string.Join(", ", prediction.shape)}] and target [{string.Join(", ", target.shape)}] differ in shape.");
        if (mask is null) return prediction - target;
        if (!mask.shape.SequenceEqual(target.shape) || mask.dtype != ScalarType.Bool)
            throw new ArgumentException($"The mask must be boolean with the target's shape [{string.Join(", ", target.shape)}].");
        // where() rather than multiplying by the mask: 0·NaN would poison value and gradient.
        var safeTarget = where(mask, target, zeros_like(target));
        return where(mask, prediction - safeTarget, zeros_like(prediction));
    }

    static Tensor MaskedMean(Tensor errors, Tensor? mask)
    {
        if (mask is null) return errors.mean();
        var count = ScalarOps.ClampMin(mask.sum().to(errors.dtype), 1.0);
        return errors.sum() / count;
    }
}
