using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// Tensor–double operations that keep their <see cref="TorchSharp.Scalar"/> alive across the native call: TorchSharp
/// 0.107's implicit double → Scalar temporaries can be finalized by a GC on another thread mid-call (see
/// ../shared/notes/torchsharp-scalar-gc-race.md), which xunit's parallel test classes make likely.
/// </summary>
internal static class ScalarOps
{
    public static Tensor Times(this Tensor x, double c)
    {
        using var s = c.ToScalar();
        return x.mul(s);
    }

    public static Tensor Plus(this Tensor x, double c)
    {
        using var s = c.ToScalar();
        return x.add(s);
    }

    public static void AddScaledInPlace(this Tensor x, Tensor v, double alpha)
    {
        using var s = alpha.ToScalar();
        x.add_(v, alpha: s);
    }
}
