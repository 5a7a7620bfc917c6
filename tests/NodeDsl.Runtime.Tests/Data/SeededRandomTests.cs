using NodeDsl.Runtime.Data;

namespace NodeDsl.Runtime.Tests.Data;

public class SeededRandomTests
{
    [Fact]
    public void RestoredStateContinuesTheStream()
    {
        var a = new SeededRandom(123);
        for (int i = 0; i < 10; i++) a.NextUInt64();
        var saved = a.GetState();
        var expected = Enumerable.Range(0, 20).Select(_ => a.NextDouble()).ToArray();

        var b = new SeededRandom(999);
        b.SetState(saved);
        Assert.Equal(expected, Enumerable.Range(0, 20).Select(_ => b.NextDouble()));
    }

    [Fact]
    public void SamplesHaveTheRightRanges()
    {
        var r = new SeededRandom(1);
        var ints = Enumerable.Range(0, 6000).Select(_ => r.NextInt(3, 5)).ToArray();
        Assert.Equal([3, 4, 5], ints.Distinct().Order());
        // 6000 draws over 3 values: each count has standard deviation √(6000·⅓·⅔) ≈ 37; 4σ ≈ 150.
        Assert.All(ints.GroupBy(i => i), g => Assert.InRange(g.Count(), 2000 - 150, 2000 + 150));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => r.NextRademacher()), v => Assert.True(v is 1.0 or -1.0));
        var gaussian = Enumerable.Range(0, 20000).Select(_ => r.NextGaussian()).ToArray();
        // Mean and variance of 20000 standard normals: standard errors 0.007 and 0.01; 5σ bounds.
        Assert.InRange(gaussian.Average(), -0.035, 0.035);
        Assert.InRange(gaussian.Select(g => g * g).Average(), 0.95, 1.05);
    }
}
