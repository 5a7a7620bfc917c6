using NodeDsl.Runtime.Classification;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>
/// The rates network of an image ODE block (Chen et al. 2018, §7.1 and their <c>odenet_mnist.py</c>): on feature maps
/// h ∈ ℝ^{C×S×S}, <c>f(h, t) = GN(conv([σ(GN(conv([σ(GN(h)), t]))), t]))</c> — group norm, an activation σ, then a 3×3
/// convolution that sees the time as one extra constant input channel ("ConcatConv2d"), twice, and a final group norm.
/// </summary>
/// <remarks>
/// <para>The DSL passes a network its arguments side by side, so <c>Field(h, t)</c> arrives as one row
/// <c>[batch, C·S·S + 1]</c>: the flattened maps, then t. The block reshapes them to <c>[batch, C, S, S]</c>.</para>
/// <para>Group norm, not batch norm: it normalises each example on its own, so an example's rates do not depend on
/// which other examples share its batch — the adaptive solver's per-example error norm and the adjoint's backward
/// solve need exactly that.</para>
/// <para>A <c>[Neural(typeof(…))]</c> module is created with a parameterless constructor, so a DSL model uses a subclass
/// that fixes the sizes (<see cref="ConvRates"/>; the tests' tiny blocks).</para>
/// </remarks>
public abstract class ConcatConvField : nn.Module<Tensor, Tensor>
{
    readonly GroupNorm norm1, norm2, norm3;
    readonly Conv2d conv1, conv2;
    readonly Func<Tensor, Tensor> activation;
    readonly int channels, side;

    /// <summary>Creates the block with TorchSharp's default initialisation (seeded by the model).</summary>
    /// <param name="name">Module name.</param>
    /// <param name="channels">Feature channels C.</param>
    /// <param name="side">Side S of the square feature maps.</param>
    /// <param name="activation">σ: ReLU in Chen et al.; a smooth one (softplus, tanh) makes the field differentiable everywhere.</param>
    protected ConcatConvField(string name, int channels, int side, Func<Tensor, Tensor> activation) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        (this.channels, this.side, this.activation) = (channels, side, activation ?? throw new ArgumentNullException(nameof(activation)));
        norm1 = Norm(channels);
        conv1 = nn.Conv2d(channels + 1, channels, 3, padding: 1);
        norm2 = Norm(channels);
        conv2 = nn.Conv2d(channels + 1, channels, 3, padding: 1);
        norm3 = Norm(channels);
        RegisterComponents();
    }

    /// <summary>Group norm with min(32, C) groups, as in Chen et al.'s code (initialised as in PyTorch, see <see cref="Normalization"/>).</summary>
    public static GroupNorm Norm(int channels) => Normalization.GroupNorm(Math.Min(32, channels), channels);

    /// <summary><c>[batch, C·S·S + 1]</c> (h, t) → <c>[batch, C·S·S]</c> rates.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], size = (long)channels * side * side;
        var h = input.narrow(1, 0, size).reshape(batch, channels, side, side);
        var t = input.narrow(1, size, 1).reshape(batch, 1, 1, 1).expand(batch, 1, side, side);
        var x = conv1.forward(cat([activation(norm1.forward(h)), t], 1));
        x = conv2.forward(cat([activation(norm2.forward(x)), t], 1));
        return norm3.forward(x).reshape(batch, size).MoveToOuterDisposeScope();
    }
}
