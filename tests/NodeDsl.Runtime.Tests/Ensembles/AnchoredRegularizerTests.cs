using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Ensembles;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Ensembles;

public sealed class AnchoredRegularizerTests
{
    [Fact]
    public void GradientIsTwoLambdaTimesTheDistanceToTheAnchorOverMembers()
    {
        const int members = 3;
        var net = new EnsembleMlp(members, 2, [5], 2, dtype: ScalarType.Float64);
        var prior = GaussianPrior.FanInScaled(net, 1.5);
        prior.Initialize(new SeededRandom(1));
        using var anchored = prior.Anchor(new SeededRandom(2), noiseVariance: 0.01, dataCount: 40, members);
        foreach (var p in net.parameters()) p.grad?.zero_();
        using var penalty = anchored.Penalty();
        penalty.backward();
        for (int i = 0; i < prior.Parameters.Count; i++)
        {
            var p = prior.Parameters[i];
            using var expected = (p.detach() - anchored.Anchors[i]) * (2 * anchored.Lambdas[i] / members);
            // Autograd of a sum of squares is exact up to one rounding per entry.
            Assert.True(p.grad!.allclose(expected, rtol: 1e-12, atol: 0), $"parameter {i}");
        }
    }

    [Fact]
    public void ValueMatchesAHandComputationAndTheMemberPenalties()
    {
        using var theta = new TorchSharp.Modules.Parameter(tensor(new double[] { 1, 2, 3, 4 }, [2, 2], ScalarType.Float64));
        using var anchor = tensor(new double[] { 0, 0, 1, 1 }, [2, 2], ScalarType.Float64);
        using var reg = new AnchoredRegularizer([theta], [anchor], [0.5], members: 2);
        // member 0: 0.5·(1 + 4) = 2.5; member 1: 0.5·(4 + 9) = 6.5; mean 4.5.
        using var value = reg.Penalty();
        Assert.Equal(4.5, value.item<double>(), 14);
        Assert.Equal([2.5, 6.5], reg.MemberPenalties());
    }

    [Fact]
    public void PriorWeightsFollowPearceLambdaAndFanInScaling()
    {
        var net = new EnsembleMlp(10, 50, [50], 3, dtype: ScalarType.Float64);
        var prior = GaussianPrior.FanInScaled(net, 2.0);
        Assert.Equal([2.0 / 50, 2.0, 2.0 / 50, 2.0], prior.Variances);
        using var reg = prior.Anchor(new SeededRandom(4), noiseVariance: 0.04, dataCount: 100, members: 10);
        Assert.Equal(0.04 / (100 * (2.0 / 50)), reg.Lambdas[0], 15);   // λ = σ_ε² / (N σ_prior²)
        // The first weight tensor holds 25 000 draws: the sample variance is within ~0.9% (one s.e.) of 2/50; allow 5%.
        double variance = reg.Anchors[0].var().item<double>();
        Assert.InRange(variance, 0.95 * 0.04, 1.05 * 0.04);
    }

    [Fact]
    public void InitialisationAndAnchorsAreIndependentDrawsAndSeeded()
    {
        var a = new EnsembleMlp(2, 2, [4], 2, dtype: ScalarType.Float64);
        var b = new EnsembleMlp(2, 2, [4], 2, dtype: ScalarType.Float64);
        GaussianPrior.FanInScaled(a, 1).Initialize(new SeededRandom(9));
        GaussianPrior.FanInScaled(b, 1).Initialize(new SeededRandom(9));
        Assert.True(a.Weights[0].allclose(b.Weights[0], rtol: 0, atol: 0));
        using var reg = GaussianPrior.FanInScaled(a, 1).Anchor(new SeededRandom(10), 0.01, 10, 2);
        Assert.False(reg.Anchors[0].allclose(a.Weights[0]));
    }

    [Fact]
    public void MisuseFailsWithMessagesThatNameTheCause()
    {
        var net = new EnsembleMlp(3, 2, [4], 2, dtype: ScalarType.Float64);
        using var wrong = zeros(2, 2, ScalarType.Float64);
        var shape = Assert.Throws<ArgumentException>(() => new AnchoredRegularizer([net.Weights[0]], [wrong], [1.0], 3));
        Assert.Contains("Anchor 0", shape.Message);
        using var anchor = zeros_like(net.Weights[0]);
        var members = Assert.Throws<ArgumentException>(() => new AnchoredRegularizer([net.Weights[0]], [anchor], [1.0], 4));
        Assert.Contains("dimension 0", members.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianPrior.FanInScaled(net, 1).Anchor(new SeededRandom(1), 0, 10, 3));
    }
}
