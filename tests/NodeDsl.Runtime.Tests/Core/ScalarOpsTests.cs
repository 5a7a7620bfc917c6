using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Core;

/// <summary>
/// <see cref="ScalarOps"/> keeps its Scalars alive across the native call, so a GC forced by another thread cannot
/// free one mid-op (docs/notes/torchsharp-scalar-gc-race.md).
/// </summary>
public class ScalarOpsTests
{
    [Fact]
    public void OneOutlivesCollectionsAndIsTheAlphaOfAdd()
    {
        using var scope = NewDisposeScope();
        // One instance for the process: a per-access Scalar would be a temporary again (the race it exists to avoid).
        Assert.Same(ScalarOps.One, ScalarOps.One);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Its native value survived every finalizer that ran.
        Assert.Equal(1.0, ScalarOps.One.ToDouble());
        var x = tensor(new[] { -1.0, 2.0 }, float64);
        var y = tensor(new[] { 0.25, 3.0 }, float64);
        Assert.Equal(x.add(y).data<double>().ToArray(), x.add(y, ScalarOps.One).data<double>().ToArray());
    }

    [Fact]
    public void ValuesAreCorrect()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -1.0, 2.0, 4.0 }, float64);
        var y = tensor(new[] { 3.0, 0.5, -2.0 }, float64);
        Assert.Equal(new[] { -2.5, 5.0, 10.0 }, ScalarOps.Mul(x, 2.5).data<double>().ToArray());
        Assert.Equal(new[] { -0.5, 1.0, 2.0 }, ScalarOps.Div(x, 2.0).data<double>().ToArray());
        Assert.Equal(new[] { 0.5, 3.5, 5.5 }, ScalarOps.Add(x, 1.5).data<double>().ToArray());
        Assert.Equal(new[] { -2.5, 0.5, 2.5 }, ScalarOps.Sub(x, 1.5).data<double>().ToArray());
        Assert.Equal(new[] { 2.0, -1.0, -3.0 }, ScalarOps.RSub(1.0, x).data<double>().ToArray());
        Assert.Equal(new[] { 5.0, 3.0, 0.0 }, ScalarOps.Add(x, y, 2.0).data<double>().ToArray());
        Assert.Equal(new[] { -7.0, 1.0, 8.0 }, ScalarOps.Sub(x, y, 2.0).data<double>().ToArray());
        Assert.Equal(new[] { -7.0, 4.0, -12.0 }, ScalarOps.AddCMul(x, x, y, 2.0).data<double>().ToArray());
        Assert.Equal(new[] { 1.0, 4.0, 16.0 }, ScalarOps.Pow(x, 2.0).data<double>().ToArray());
        Assert.Equal(new[] { 0.5, 4.0, 16.0 }, ScalarOps.Pow(2.0, x).data<double>().ToArray());
        Assert.Equal(new[] { 0.0, 2.0, 4.0 }, ScalarOps.ClampMin(x, 0.0).data<double>().ToArray());
        Assert.Equal(new[] { -1.0, 2.0, 3.0 }, ScalarOps.ClampMax(x, 3.0).data<double>().ToArray());
        Assert.Equal(new[] { 0.0, 2.0, 3.0 }, ScalarOps.Clamp(x, 0.0, 3.0).data<double>().ToArray());
        Assert.Equal(new[] { false, true, true }, ScalarOps.Gt(x, 0.0).data<bool>().ToArray());
        Assert.Equal(new[] { 7.0, 7.0, 7.0 }, ScalarOps.FullLike(x, 7.0).data<double>().ToArray());
        Assert.Equal(new[] { -4.0, 2.0, 1.0 }, ScalarOps.RDiv(4.0, x).data<double>().ToArray());
    }

    [Fact]
    public void AutogradFlowsThrough()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, float64, requires_grad: true);
        var loss = ScalarOps.RSub(1.0, ScalarOps.Pow(ScalarOps.Mul(x, 3.0), 2.0)).sum(); // 1 − 9x²
        loss.backward();
        Assert.Equal(new[] { -18.0, -36.0 }, x.grad!.data<double>().ToArray());
    }
}
