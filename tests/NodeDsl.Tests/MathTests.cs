using static NodeDsl.DslMath;

namespace NodeDsl.Tests;

public class MathTests
{
    // The functions wrap System.Math; results are compared to 1e-15 relative where a formula, not a wrapper, is used.
    const int Digits = 15;

    [Fact]
    public void ScalarFunctionsMatchTheirDefinitions()
    {
        double x = 0.37;
        Assert.Equal(System.Math.Sin(x), Sin(x));
        Assert.Equal(System.Math.Cos(x), Cos(x));
        Assert.Equal(System.Math.Tan(x), Tan(x));
        Assert.Equal(System.Math.Sinh(x), Sinh(x));
        Assert.Equal(System.Math.Cosh(x), Cosh(x));
        Assert.Equal(System.Math.Tanh(x), Tanh(x));
        Assert.Equal(System.Math.Exp(x), Exp(x));
        Assert.Equal(System.Math.Log(x), Log(x));
        Assert.Equal(System.Math.Sqrt(x), Sqrt(x));
        Assert.Equal(0.37, Abs(-x));
        Assert.Equal(-1, Sign(-x));
        Assert.Equal(x * x, Square(x));
        Assert.Equal(System.Math.Pow(x, 2.5), Pow(x, 2.5));
        Assert.Equal(1 / (1 + System.Math.Exp(-x)), Sigmoid(x), Digits);
        Assert.Equal(System.Math.Log(1 + System.Math.Exp(x)), Softplus(x), Digits);
        Assert.Equal(x, Relu(x));
        Assert.Equal(0.0, Relu(-x));
    }

    [Fact]
    public void SoftplusFollowsPyTorchThresholdAndIsAccurateForLargeNegativeInputs()
    {
        Assert.Equal(25.0, Softplus(25.0));                       // passed through above 20, like torch
        Assert.Equal(System.Math.Exp(-40), Softplus(-40), 1e-30);  // log1p keeps full relative accuracy
        Assert.True(System.Math.Abs(Softplus(-40) / System.Math.Exp(-40) - 1) < 1e-15);
    }

    [Fact]
    public void VecFunctionsApplyElementwise()
    {
        var v = Vec.Of(-0.5, 0.25, 2);
        Assert.Equal(Vec.Of(Sin(-0.5), Sin(0.25), Sin(2)), Sin(v));
        Assert.Equal(Vec.Of(Exp(-0.5), Exp(0.25), Exp(2)), Exp(v));
        Assert.Equal(Vec.Of(0, 0.25, 2), Relu(v));
        Assert.Equal(Vec.Of(0.5, 0.25, 2), Abs(v));
        Assert.Equal(Vec.Of(-1, 1, 1), Sign(v));
        Assert.Equal(Vec.Of(-0.125, Pow(0.25, 3), 8), Pow(v, 3));
        Assert.Equal(Vec.Of(Pow(0.25, 0.5), 4), Pow(Vec.Of(0.25, 2), Vec.Of(0.5, 2)));
        Assert.Equal(Vec.Of(Tanh(-0.5), Tanh(0.25), Tanh(2)), Tanh(v));
        Assert.Equal(Vec.Of(Square(-0.5), Square(0.25), 4), Square(v));
        Assert.Equal(Vec.Of(Softplus(-0.5), Softplus(0.25), Softplus(2)), Softplus(v));
        Assert.Equal(Vec.Of(Sigmoid(-0.5), Sigmoid(0.25), Sigmoid(2)), Sigmoid(v));
        foreach (var f in new Func<Vec, Vec>[] { Cos, Tan, Sinh, Cosh, Log, Sqrt })
            Assert.Equal(3, f(Vec.Of(0.1, 0.2, 0.3)).Length);
    }

    [Fact]
    public void SumAndDot()
    {
        Assert.Equal(6, Sum(Vec.Of(1, 2, 3)));
        Assert.Equal(32, Dot(Vec.Of(1, 2, 3), Vec.Of(4, 5, 6)));
    }
}
