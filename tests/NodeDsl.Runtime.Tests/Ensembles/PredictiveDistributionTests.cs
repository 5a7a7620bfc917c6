using NodeDsl.Runtime.Ensembles;

namespace NodeDsl.Runtime.Tests.Ensembles;

public sealed class PredictiveDistributionTests
{
    // Two members, two times, two states.
    static readonly double[,,] Members =
    {
        { { 1.0, 10.0 }, { 0.0, 5.0 } },
        { { 3.0, 10.0 }, { 2.0, 5.0 } },
    };

    [Fact]
    public void MeanAndVarianceFollowPearceAlgorithm1()
    {
        var d = PredictiveDistribution.FromMembers(Members, noiseVariance: 0.25);
        Assert.Equal(2.0, d.Mean[0, 0]);
        Assert.Equal(2.0, d.EpistemicVariance[0, 0]);          // ((1−2)² + (3−2)²) / (M − 1)
        Assert.Equal(System.Math.Sqrt(2.25), d.StdDev[0, 0], 15);
        Assert.Equal(0.0, d.EpistemicVariance[0, 1]);          // members agree: only the noise remains
        Assert.Equal(0.5, d.StdDev[0, 1], 15);
    }

    [Fact]
    public void ASingleMemberHasOnlyTheNoiseVariance()
    {
        var d = PredictiveDistribution.FromMembers(Members, noiseVariance: 0.25, count: 1);
        Assert.Equal(1.0, d.Mean[0, 0]);
        Assert.Equal(0.5, d.StdDev[0, 0], 15);
    }

    [Fact]
    public void CoverageCountsObservationsInsideTwoSigmaPerStateAndSkipsMissingOnes()
    {
        var d = PredictiveDistribution.FromMembers(Members, noiseVariance: 0.25);
        // State 0: σ = 1.5 at both times, mean 2 and 1 → band ±3. State 1: σ = 0.5, band ±1 around 10 and 5.
        var observations = new double[,]
        {
            { 5.0, 11.0 },          // 5 − 2 = 3: on the edge, inside;   11 − 10 = 1: on the edge, inside
            { 4.01, double.NaN },   // 4.01 − 1 = 3.01: outside;         missing: not counted
        };
        var coverage = d.Coverage(observations);
        Assert.Equal(0.5, coverage[0]);
        Assert.Equal(1.0, coverage[1]);
        Assert.Equal(1.0, d.Coverage(observations, k: 3)[0]);
    }

    [Fact]
    public void MisuseFailsClearly()
    {
        var d = PredictiveDistribution.FromMembers(Members, 0.1);
        Assert.Throws<ArgumentException>(() => d.Coverage(new double[3, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PredictiveDistribution.FromMembers(Members, 0.1, count: 3));
        Assert.Throws<ArgumentException>(() => PredictiveDistribution.FromMembers(Members, [0.1]));
    }
}
