using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Probability;

/// <summary>
/// Elementwise formulas of Gaussians with diagonal covariance, parametrised by mean and log-variance (the usual output of
/// an encoder): log-density, Kullback–Leibler divergence and the reparameterised sample (Kingma &amp; Welling 2014).
/// </summary>
/// <remarks>Every function works elementwise and broadcasts; sum over the event dimensions yourself (or use the
/// <c>Sequences</c> and <c>Flows</c> helpers, which do).</remarks>
public static class DiagonalGaussian
{
    /// <summary>log(2π), the constant of every Gaussian log-density.</summary>
    public static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>
    /// <c>log N(x; μ, σ²) = −½ (log 2π + log σ² + (x − μ)² / σ²)</c>, elementwise.
    /// </summary>
    /// <param name="x">Values.</param>
    /// <param name="mean">μ, broadcast against <paramref name="x"/>.</param>
    /// <param name="logVariance">log σ², broadcast against <paramref name="x"/>.</param>
    public static Tensor LogDensity(Tensor x, Tensor mean, Tensor logVariance)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        using var scope = NewDisposeScope();
        var squared = ScalarOps.Square(ScalarOps.Sub(x, mean, 1.0)) * logVariance.neg().exp();
        return ScalarOps.Mul(ScalarOps.Add(ScalarOps.Add(squared, logVariance, 1.0), LogTwoPi), -0.5).MoveToOuterDisposeScope();
    }

    /// <summary><c>log N(x; μ, σ²)</c> elementwise with one fixed standard deviation σ.</summary>
    public static Tensor LogDensity(Tensor x, Tensor mean, double standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        if (!(standardDeviation > 0) || !double.IsFinite(standardDeviation))
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and greater than 0.");
        using var scope = NewDisposeScope();
        double logVariance = 2 * Math.Log(standardDeviation);
        var squared = ScalarOps.Div(ScalarOps.Square(ScalarOps.Sub(x, mean, 1.0)), standardDeviation * standardDeviation);
        return ScalarOps.Mul(ScalarOps.Add(squared, logVariance + LogTwoPi), -0.5).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log-density of the standard normal N(0, I) summed over the last dimension: <c>−½ (d log 2π + ‖x‖²)</c>, one value
    /// per row of <c>[batch, d]</c>.
    /// </summary>
    public static Tensor StandardLogDensity(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        long d = x.shape[^1];
        return ScalarOps.Mul(ScalarOps.Add(ScalarOps.Square(x).sum(-1), d * LogTwoPi), -0.5).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = log σ₂ − log σ₁ + (σ₁² + (μ₁ − μ₂)²) / (2σ₂²) − ½</c>, elementwise.
    /// </summary>
    public static Tensor KlDivergence(Tensor mean1, Tensor logVariance1, Tensor mean2, Tensor logVariance2)
    {
        ArgumentNullException.ThrowIfNull(mean1);
        ArgumentNullException.ThrowIfNull(logVariance1);
        ArgumentNullException.ThrowIfNull(mean2);
        ArgumentNullException.ThrowIfNull(logVariance2);
        using var scope = NewDisposeScope();
        var ratio = ScalarOps.Add(logVariance1.exp(), ScalarOps.Square(ScalarOps.Sub(mean1, mean2, 1.0)), 1.0) * logVariance2.neg().exp();
        var sum = ScalarOps.Add(ScalarOps.Sub(logVariance2, logVariance1, 1.0), ratio, 1.0);
        return ScalarOps.Mul(ScalarOps.Sub(sum, 1.0), 0.5).MoveToOuterDisposeScope();
    }

    /// <summary><c>KL(N(μ, σ²) ‖ N(0, 1)) = ½ (μ² + σ² − 1 − log σ²)</c>, elementwise (the prior of a VAE).</summary>
    public static Tensor KlToStandardNormal(Tensor mean, Tensor logVariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        using var scope = NewDisposeScope();
        var sum = ScalarOps.Sub(ScalarOps.Add(ScalarOps.Square(mean), logVariance.exp(), 1.0), logVariance, 1.0);
        return ScalarOps.Mul(ScalarOps.Sub(sum, 1.0), 0.5).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reparameterised sample <c>z = μ + exp(½ log σ²) ⊙ ε</c> with <c>ε ~ N(0, I)</c> from <paramref name="generator"/>
    /// (torch's global generator when null): differentiable in μ and log σ².
    /// </summary>
    public static Tensor Sample(Tensor mean, Tensor logVariance, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        using var scope = NewDisposeScope();
        var epsilon = randn(mean.shape, mean.dtype, mean.device, generator: generator);
        return ScalarOps.Add(mean, ScalarOps.Mul(logVariance, 0.5).exp() * epsilon, 1.0).MoveToOuterDisposeScope();
    }
}
