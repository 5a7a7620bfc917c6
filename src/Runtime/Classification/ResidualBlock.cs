using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// Chen et al.'s (2018) residual block, the ResNet baseline's layer: <c>h + conv(ReLU(GN(conv(ReLU(GN(h))))))</c> with
/// 3-tap (3×3) convolutions that keep C channels and the map size. One such block is one explicit Euler step of the
/// ODE block's field with its own weights.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    readonly GroupNorm norm1, norm2;
    readonly nn.Module<Tensor, Tensor> conv1, conv2;

    /// <summary>Creates the block (TorchSharp's default initialisation).</summary>
    /// <param name="name">Module name.</param>
    /// <param name="dimensions">2 for images, 1 for sequences.</param>
    /// <param name="channels">Channels C in and out.</param>
    /// <param name="bias">Whether the convolutions have a bias (Chen et al.: yes; the Zurlo–Facci ECG ResNet: no).</param>
    public ResidualBlock(string name, int dimensions, int channels, bool bias = true) : base(name)
    {
        ConvLayers.CheckDimensions(dimensions);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        norm1 = ConvLayers.Norm(channels);
        conv1 = ConvLayers.Conv(dimensions, channels, channels, 3, padding: 1, bias: bias);
        norm2 = ConvLayers.Norm(channels);
        conv2 = ConvLayers.Conv(dimensions, channels, channels, 3, padding: 1, bias: bias);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        var x = conv1.forward(nn.functional.relu(norm1.forward(h)));
        x = conv2.forward(nn.functional.relu(norm2.forward(x)));
        return (h + x).MoveToOuterDisposeScope();
    }
}
