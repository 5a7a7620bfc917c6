namespace NodeDsl.Tests;

public class VecTests
{
    [Fact]
    public void ArithmeticIsElementwiseWithScalarBroadcast()
    {
        var a = Vec.Of(1, 2, 3);
        var b = Vec.Of(4, 5, 6);
        Assert.Equal(Vec.Of(5, 7, 9), a + b);
        Assert.Equal(Vec.Of(-3, -3, -3), a - b);
        Assert.Equal(Vec.Of(4, 10, 18), a * b);
        Assert.Equal(Vec.Of(0.25, 0.4, 0.5), a / b);
        Assert.Equal(Vec.Of(2, 4, 6), 2 * a);
        Assert.Equal(Vec.Of(2, 4, 6), a * 2);
        Assert.Equal(Vec.Of(0, 1, 2), a - 1);
        Assert.Equal(Vec.Of(0, -1, -2), 1 - a);
        Assert.Equal(Vec.Of(6, 3, 2), 6 / a);
        Assert.Equal(Vec.Of(-1, -2, -3), -a);
    }

    [Fact]
    public void MismatchedLengthsThrowWithBothSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Vec.Of(1, 2) + Vec.Of(1, 2, 3));
        Assert.Contains("2 and 3", e.Message);
    }

    [Fact]
    public void IndexingRangesAndConcatenation()
    {
        var v = Vec.Of(1, 2, 3, 4, 5);
        Assert.Equal(5, v.Length);
        Assert.Equal(2, v[1]);
        Assert.Equal(5, v[^1]);
        Assert.Equal(Vec.Of(2, 3), v[1..3]);
        Assert.Equal(Vec.Of(4, 5), v[3..]);
        Assert.Equal(Vec.Of(1, 2, 9, 3), Vec.Concat(Vec.Of(1, 2), 9.0, Vec.Of(3)));
        Assert.Equal(Vec.Of(0, 0), Vec.Zeros(2));
        Assert.Equal(Vec.Of(2, 3), new Vec([1, 2, 3, 4], 1, 2));
        Assert.Throws<ArgumentException>(() => Vec.Concat("x"));
    }

    [Fact]
    public void VecIsImmutableAndCopiesItsInput()
    {
        var source = new double[] { 1, 2 };
        var v = new Vec(source);
        source[0] = 42;
        var array = v.ToArray();
        array[1] = 42;
        Assert.Equal(Vec.Of(1, 2), v);
        var target = new double[4];
        v.CopyTo(target, 1);
        Assert.Equal(new double[] { 0, 1, 2, 0 }, target);
    }

    [Fact]
    public void EqualityHashAndInvariantText()
    {
        Assert.Equal(Vec.Of(1, 2).GetHashCode(), Vec.Of(1, 2).GetHashCode());
        Assert.NotEqual(Vec.Of(1, 2), Vec.Of(2, 1));
        Assert.False(Vec.Of(1).Equals(null));
        Assert.Equal("[1, 2.5, 0.1]", Vec.Of(1, 2.5, 0.1).ToString());
    }
}
