using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>The 1-D / 2-D layer choices shared by <see cref="ConcatConvField"/>, <see cref="ResidualBlock"/> and <see cref="ClassifierNetworks"/>.</summary>
internal static class ConvLayers
{
    /// <summary>Throws unless <paramref name="dimensions"/> is 1 (sequences) or 2 (images).</summary>
    public static void CheckDimensions(int dimensions)
    {
        if (dimensions is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Convolutional classifiers are 1-D (sequences [batch, channels, length]) or 2-D (images [batch, channels, height, width]).");
    }

    /// <summary><c>Conv1d</c> or <c>Conv2d</c>.</summary>
    public static nn.Module<Tensor, Tensor> Conv(int dimensions, long input, long output, long kernel, long stride = 1, long padding = 0, bool bias = true)
        => dimensions == 2
            ? nn.Conv2d(input, output, kernel, stride: stride, padding: padding, bias: bias)
            : nn.Conv1d(input, output, kernel, stride: stride, padding: padding, bias: bias);

    /// <summary>Group norm with min(32, C) groups, as in Chen et al.'s code (initialised as in PyTorch, see <see cref="Normalization"/>).</summary>
    public static GroupNorm Norm(int channels) => Normalization.GroupNorm(Math.Min(32, channels), channels);

    /// <summary>Global average pooling to one value per channel.</summary>
    public static nn.Module<Tensor, Tensor> GlobalAveragePool(int dimensions)
        => dimensions == 2 ? nn.AdaptiveAvgPool2d(1) : nn.AdaptiveAvgPool1d(1);
}
