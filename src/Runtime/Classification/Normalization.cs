using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>Normalisation layers for the convolutional networks around ODE blocks.</summary>
public static class Normalization
{
    /// <summary>
    /// Group norm (Wu &amp; He 2018) over <paramref name="channels"/> channels in <paramref name="groups"/> groups, with the
    /// affine scale initialised to 1 and shift to 0 as in PyTorch.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's <c>nn.GroupNorm</c> allocates its scale and shift with <c>torch.empty</c> and never fills them, so
    /// a fresh layer multiplies by whatever memory it got (often NaN). Use this factory instead. Group norm normalises each
    /// example on its own, so inside an ODE block an example's rates do not depend on the rest of its batch — the
    /// per-example error norm and the adjoint's backward solve rely on that (batch norm would break both).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="channels"/> is not a positive multiple of <paramref name="groups"/>.</exception>
    public static GroupNorm GroupNorm(long groups, long channels, ScalarType? dtype = null, Device? device = null)
    {
        if (groups < 1 || channels < 1 || channels % groups != 0)
            throw new ArgumentException($"Group norm needs channels ({channels}) to be a positive multiple of groups ({groups}).");
        var norm = nn.GroupNorm(groups, channels, device: device, dtype: dtype);
        using (no_grad())
        {
            using Scalar one = 1.0.ToScalar(), zero = 0.0.ToScalar(); // alive across the calls (ScalarOps)
            norm.weight.fill_(one);
            norm.bias!.fill_(zero);
        }
        return norm;
    }
}
