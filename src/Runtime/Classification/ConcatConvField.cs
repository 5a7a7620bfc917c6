using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// The rates network of a convolutional ODE block (Chen et al. 2018, §7.1 and their <c>odenet_mnist.py</c> ODEfunc): on
/// feature maps h ∈ ℝ^{C×S×S} (images) or ℝ^{C×L} (sequences, e.g. heartbeats),
/// <c>f(h, t) = GN(conv([σ(GN(conv([σ(GN(h)), t]))), t]))</c> — group norm, an activation σ, then a 3-tap (3×3)
/// convolution that sees the time as one extra constant input channel ("ConcatConv"), twice, and a final group norm.
/// </summary>
/// <remarks>
/// <para>The DSL passes a network its arguments side by side, so <c>Field(h, t)</c> arrives as one row
/// <c>[batch, C·S^d + 1]</c>: the flattened maps, then t. The block reshapes them to <c>[batch, C, S(, S)]</c>.</para>
/// <para>Group norm, not batch norm: it normalises each example on its own, so an example's rates do not depend on
/// which other examples share its batch — the adaptive solver's per-example error norm and the adjoint's backward
/// solve need exactly that.</para>
/// <para>A <c>[Neural(typeof(…))]</c> module is created with a parameterless constructor, so a DSL model uses a subclass
/// that fixes the sizes (e.g. <c>sealed class ConvRates() : ConcatConvField("ConvRates", 32, 7, relu)</c>).</para>
/// </remarks>
public abstract class ConcatConvField : nn.Module<Tensor, Tensor>
{
    readonly GroupNorm norm1, norm2, norm3;
    readonly nn.Module<Tensor, Tensor> conv1, conv2;
    readonly Func<Tensor, Tensor> activation;
    readonly int channels, side, dimensions;

    /// <summary>Creates the block with TorchSharp's default initialisation (seeded by the model).</summary>
    /// <param name="name">Module name.</param>
    /// <param name="channels">Feature channels C.</param>
    /// <param name="side">Side S of the square feature maps (2-D) or their length L (1-D).</param>
    /// <param name="activation">σ: ReLU in Chen et al.; a smooth one (softplus, tanh) makes the field differentiable everywhere.</param>
    /// <param name="dimensions">2 for images (<c>Conv2d</c>), 1 for sequences (<c>Conv1d</c>).</param>
    protected ConcatConvField(string name, int channels, int side, Func<Tensor, Tensor> activation, int dimensions = 2) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        ConvLayers.CheckDimensions(dimensions);
        (this.channels, this.side, this.dimensions) = (channels, side, dimensions);
        this.activation = activation ?? throw new ArgumentNullException(nameof(activation));
        norm1 = ConvLayers.Norm(channels);
        conv1 = ConvLayers.Conv(dimensions, channels + 1, channels, 3, padding: 1);
        norm2 = ConvLayers.Norm(channels);
        conv2 = ConvLayers.Conv(dimensions, channels + 1, channels, 3, padding: 1);
        norm3 = ConvLayers.Norm(channels);
        RegisterComponents();
    }

    /// <summary>Values per example, C·S^d: the state size of the DSL model that uses this block.</summary>
    public long StateSize => channels * (long)Math.Pow(side, dimensions);

    /// <summary><c>[batch, C·S^d + 1]</c> (h, t) → <c>[batch, C·S^d]</c> rates.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], size = StateSize;
        long[] maps = dimensions == 2 ? [batch, channels, side, side] : [batch, channels, side];
        long[] plane = dimensions == 2 ? [batch, 1, side, side] : [batch, 1, side];
        var h = input.narrow(1, 0, size).reshape(maps);
        var t = input.narrow(1, size, 1).reshape(dimensions == 2 ? [batch, 1, 1, 1] : [batch, 1, 1]).expand(plane);
        var x = conv1.forward(cat([activation(norm1.forward(h)), t], 1));
        x = conv2.forward(cat([activation(norm2.forward(x)), t], 1));
        return norm3.forward(x).reshape(batch, size).MoveToOuterDisposeScope();
    }
}
