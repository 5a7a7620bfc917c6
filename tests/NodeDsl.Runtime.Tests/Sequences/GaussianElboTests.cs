using NodeDsl.Runtime.Sequences;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Sequences;

/// <summary>The masked ELBO terms against sums written out by hand.</summary>
public sealed class GaussianElboTests
{
    [Fact]
    public void MaskedLogLikelihoodSumsOnlyScoredEntriesPerRow()
    {
        using var scope = NewDisposeScope();
        // [T = 2, batch = 2, n = 2]
        double[] pred = [0.0, 1.0, 2.0, 3.0, 0.5, 0.5, -1.0, 4.0];
        double[] obs = [0.1, 1.3, 2.0, 9.0, 0.0, 0.9, -1.5, 4.2];
        double[] mask = [1, 1, 1, 0, 0, 1, 1, 1];
        const double sigma = 0.4;
        var ll = GaussianElbo.MaskedLogLikelihood(tensor(pred, [2, 2, 2]), tensor(obs, [2, 2, 2]), tensor(mask, [2, 2, 2]), sigma)
            .data<double>().ToArray();
        var expected = new double[2];
        for (int t = 0; t < 2; t++)
            for (int b = 0; b < 2; b++)
                for (int j = 0; j < 2; j++)
                {
                    int i = (t * 2 + b) * 2 + j;
                    if (mask[i] == 0) continue;
                    double r = obs[i] - pred[i];
                    expected[b] += -0.5 * Math.Log(2 * Math.PI * sigma * sigma) - r * r / (2 * sigma * sigma);
                }
        // Float64: the two sums differ by rounding only.
        Assert.Equal(expected[0], ll[0], 12);
        Assert.Equal(expected[1], ll[1], 12);
    }

    [Fact]
    public void NegativeElboIsMinusTheMeanOfLikelihoodMinusWeightedKl()
    {
        using var scope = NewDisposeScope();
        var mean = tensor(new[] { 0.5, -1.0, 0.0, 2.0 }, [2, 2]);
        var logVar = tensor(new[] { 0.0, -1.0, 0.3, 0.0 }, [2, 2]);
        var posterior = new Posterior(mean, logVar);
        var kl = posterior.KlToStandardNormal().data<double>().ToArray();
        // KL(N(μ, σ²) ‖ N(0, 1)) = ½ (μ² + σ² − 1 − log σ²), summed over the two latent dimensions.
        double Kl(double m, double lv) => 0.5 * (m * m + Math.Exp(lv) - 1 - lv);
        Assert.Equal(Kl(0.5, 0) + Kl(-1, -1), kl[0], 14);
        Assert.Equal(Kl(0, 0.3) + Kl(2, 0), kl[1], 14);

        var terms = new ElboTerms(tensor(new[] { -3.0, -5.0 }), tensor(kl));
        Assert.Equal(-((-3.0 - kl[0]) + (-5.0 - kl[1])) / 2, terms.NegativeElbo().item<double>(), 14);
        Assert.Equal(-((-3.0 - 0.25 * kl[0]) + (-5.0 - 0.25 * kl[1])) / 2, terms.NegativeElbo(0.25).item<double>(), 14);
        Assert.Throws<ArgumentOutOfRangeException>(() => terms.NegativeElbo(-1));
    }

    [Fact]
    public void ShapeMismatchIsAnError()
    {
        using var scope = NewDisposeScope();
        var a = zeros(2, 3, 2, ScalarType.Float64);
        var b = zeros(2, 3, 1, ScalarType.Float64);
        Assert.Contains("[T, batch, n]", Assert.Throws<ArgumentException>(() => GaussianElbo.MaskedLogLikelihood(a, b, b, 1.0)).Message);
    }
}
