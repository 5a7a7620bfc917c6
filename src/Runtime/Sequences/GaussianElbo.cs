using NodeDsl.Runtime.Probability;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Sequences;

/// <summary>
/// The evidence lower bound of a latent-variable sequence model with a Gaussian observation model (Kingma &amp; Welling
/// 2014; Chen et al. 2018 §5): <c>ELBO = E_q[log p(x | z₀)] − KL(q(z₀ | x) ‖ N(0, I))</c>, one value per trajectory,
/// the expectation estimated with one reparameterised sample.
/// </summary>
public static class GaussianElbo
{
    /// <summary>
    /// <c>Σ_k Σ_j m_kj log N(x_kj; x̂_kj, σ²)</c> per row: the masked Gaussian log-likelihood of the observations
    /// <paramref name="values"/> under the predictions, <c>[T, batch, n]</c> → <c>[batch]</c>.
    /// </summary>
    /// <param name="prediction">Decoded means x̂, <c>[T, batch, n]</c>.</param>
    /// <param name="values">Observations (any value where the mask is 0; NaN is not allowed).</param>
    /// <param name="mask">1 where a value is scored, else 0.</param>
    /// <param name="observationStd">σ, the observation noise's standard deviation (fixed, as in Chen et al.).</param>
    public static Tensor MaskedLogLikelihood(Tensor prediction, Tensor values, Tensor mask, double observationStd)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        if (prediction.dim() != 3 || !prediction.shape.SequenceEqual(values.shape) || !mask.shape.SequenceEqual(values.shape))
            throw new ArgumentException(
                $"Prediction, values and mask must all be [T, batch, n]; got [{string.Join(", ", prediction.shape)}], " +
                $"[{string.Join(", ", values.shape)}] and [{string.Join(", ", mask.shape)}].", nameof(prediction));
        using var scope = NewDisposeScope();
        var logDensity = DiagonalGaussian.LogDensity(values, prediction, observationStd);
        return (logDensity * mask).sum([0, 2]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The terms of the ELBO per row: the masked log-likelihood of <paramref name="values"/> under
    /// <paramref name="prediction"/> and <c>KL(q ‖ N(0, I))</c> of <paramref name="posterior"/>.
    /// </summary>
    public static ElboTerms Evaluate(Tensor prediction, Tensor values, Tensor mask, double observationStd, Posterior posterior)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        var logLikelihood = MaskedLogLikelihood(prediction, values, mask, observationStd);
        return new ElboTerms(logLikelihood, posterior.KlToStandardNormal());
    }
}

/// <summary>The two terms of the ELBO, one value per trajectory.</summary>
/// <param name="LogLikelihood"><c>log p(x | z₀)</c> of the scored observations, <c>[batch]</c>.</param>
/// <param name="Kl"><c>KL(q(z₀ | x) ‖ p(z₀))</c>, <c>[batch]</c>.</param>
public sealed record ElboTerms(Tensor LogLikelihood, Tensor Kl) : IDisposable
{
    /// <summary>
    /// The training loss <c>−mean_b(log p − β·KL)</c> as a 0-d tensor; <paramref name="klWeight"/> β = 1 is the ELBO
    /// (smaller β anneals the KL term early in training, Bowman et al. 2016).
    /// </summary>
    public Tensor NegativeElbo(double klWeight = 1.0)
    {
        if (!(klWeight >= 0) || !double.IsFinite(klWeight))
            throw new ArgumentOutOfRangeException(nameof(klWeight), klWeight, "The KL weight must be finite and at least 0.");
        using var scope = NewDisposeScope();
        return ScalarOps.Sub(LogLikelihood, Kl, klWeight).mean().neg().MoveToOuterDisposeScope();
    }

    /// <summary>Releases both tensors.</summary>
    public void Dispose()
    {
        LogLikelihood.Dispose();
        Kl.Dispose();
    }
}
