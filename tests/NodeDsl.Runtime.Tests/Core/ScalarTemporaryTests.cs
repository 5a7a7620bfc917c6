
namespace NodeDsl.Runtime.Tests.Core;

/// <summary>
/// No NodeDsl.Runtime code converts a number to a TorchSharp Scalar implicitly, directly or through a TorchSharp
/// convenience overload (<c>square()</c> is <c>pow(2)</c>, <c>add(Tensor)</c> is <c>add(t, 1)</c>): each such temporary
/// can be finalized by a garbage collection on another thread while libtorch reads it, ending a training run with
/// "toFloat at Scalar.h" or silently using another value (docs/notes/torchsharp-scalar-gc-race.md). The race strikes
/// rarely, so a stress test finds it by luck; the conversion is in the IL or it is not.
/// </summary>
public class ScalarTemporaryTests
{
    [Fact]
    public void NoRuntimeCodeConvertsANumberToAScalarImplicitly()
    {
        var found = typeof(ScalarOps).Assembly.GetTypes().Where(t => !t.IsNested)
            .SelectMany(ScalarTemporaryScan.ImplicitConversions).Distinct().ToList();
        // Found 30 places before this test existed (the error norm of every adaptive step and every Hermite output among
        // them, through square()); ScalarOps has the Scalar-keeping forms (Square, Pow, Ne, Gt, Add(x, y, alpha), …).
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public void TheScanSeesTorchSharpsOwnTemporaries()
    {
        // TorchSharp's Adam converts β₁, 1 − β₂, … implicitly; its square() hides one: the scan must report both kinds.
        Assert.NotEmpty(ScalarTemporaryScan.ImplicitConversions(typeof(TorchSharp.Modules.Adam)));
        Assert.NotEmpty(ScalarTemporaryScan.ImplicitConversions(typeof(SquareThroughTorchSharp)));
        Assert.Empty(ScalarTemporaryScan.ImplicitConversions(typeof(SquareThroughScalarOps)));
    }

    static class SquareThroughTorchSharp
    {
        public static TorchSharp.torch.Tensor Of(TorchSharp.torch.Tensor x) => x.square();
    }

    static class SquareThroughScalarOps
    {
        public static TorchSharp.torch.Tensor Of(TorchSharp.torch.Tensor x) => ScalarOps.Square(x);
    }
}
