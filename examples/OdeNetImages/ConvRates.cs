using NodeDsl.Runtime.Classification;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>
/// The rates network of the image ODE-Net (Chen et al. 2018, §7.1 and their <c>odenet_mnist.py</c>): on feature maps
/// h ∈ ℝ^{C×S×S}, <c>f(h, t) = GN(conv(ReLU(GN(conv([ReLU(GN(h)), t])))), t])</c> — group norm, ReLU, then a 3×3
/// convolution that sees the time as one extra constant input channel ("ConcatConv2d"), twice, and a final group norm.
/// </summary>
/// <remarks>
/// <para>The DSL passes a network its arguments side by side, so <c>Field(h, t)</c> arrives as one row
/// <c>[batch, C·S·S + 1]</c>: the flattened maps, then t. The block reshapes them to <c>[batch, C, S, S]</c>.</para>
/// <para>Group norm, not batch norm: it normalises each example on its own, so an example's rates do not depend on
/// which other examples share its batch — the adaptive solver's per-example error norm and the adjoint's backward
/// solve need exactly that.</para>
/// </remarks>
public sealed class ConvRates : nn.Module<Tensor, Tensor>
{
    /// <summary>Feature channels C (Chen et al. use 64; 32 keeps a CPU run short, see docs/odenet-images.md).</summary>
    public const int Channels = 32;
    /// <summary>Side S of the feature maps after the stem's two stride-2 convolutions (28 → 14 → 7).</summary>
    public const int Side = 7;
    /// <summary>Values per example, C·S·S.</summary>
    public const int Size = Channels * Side * Side;

    readonly GroupNorm norm1, norm2, norm3;
    readonly Conv2d conv1, conv2;

    /// <summary>Creates the block with TorchSharp's default initialisation (seeded by the model).</summary>
    public ConvRates() : base(nameof(ConvRates))
    {
        norm1 = Norm();
        conv1 = nn.Conv2d(Channels + 1, Channels, 3, padding: 1);
        norm2 = Norm();
        conv2 = nn.Conv2d(Channels + 1, Channels, 3, padding: 1);
        norm3 = Norm();
        RegisterComponents();
    }

    /// <summary>Group norm with min(32, C) groups, as in Chen et al.'s code (initialised as in PyTorch, see <see cref="Normalization"/>).</summary>
    internal static GroupNorm Norm() => Normalization.GroupNorm(Math.Min(32, Channels), Channels);

    /// <summary><c>[batch, C·S·S + 1]</c> (h, t) → <c>[batch, C·S·S]</c> rates.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0];
        var h = input.narrow(1, 0, Size).reshape(batch, Channels, Side, Side);
        var t = input.narrow(1, Size, 1).reshape(batch, 1, 1, 1).expand(batch, 1, Side, Side);
        var x = conv1.forward(cat([nn.functional.relu(norm1.forward(h)), t], 1));
        x = conv2.forward(cat([nn.functional.relu(norm2.forward(x)), t], 1));
        return norm3.forward(x).reshape(batch, Size).MoveToOuterDisposeScope();
    }
}
