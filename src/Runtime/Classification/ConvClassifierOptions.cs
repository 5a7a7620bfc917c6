namespace NodeDsl.Runtime.Classification;

/// <summary>
/// The shape of a convolutional classifier built by <see cref="ClassifierNetworks"/>: Chen et al.'s (2018) downsampling
/// stem, a middle part (residual blocks or one ODE block) on C channels, and a head to class scores.
/// </summary>
/// <remarks>
/// The stem is conv(in → C, 3 taps, padding <see cref="StemPadding"/>), GN, ReLU, conv(C → C, 4, stride 2, padding 1), GN,
/// ReLU, conv(C → C, 4, stride 2, padding 1): 28×28 images become C×7×7 maps (padding 1), 187-sample beats C×46
/// (padding 0). The head is GN, ReLU, global average pooling, linear C → classes. Group norm has min(32, C) groups.
/// </remarks>
public sealed record ConvClassifierOptions
{
    /// <summary>2 for images <c>[batch, in, H, W]</c>, 1 for sequences <c>[batch, in, L]</c>.</summary>
    public int Dimensions { get; init; } = 2;
    /// <summary>Channels of the input (1 for grey images and single-lead ECG).</summary>
    public int InputChannels { get; init; } = 1;
    /// <summary>Feature channels C of the stem, the middle part and the head (Chen et al.: 64).</summary>
    public int Channels { get; init; } = 64;
    /// <summary>Number of classes (outputs of the head).</summary>
    public int Classes { get; init; } = 10;
    /// <summary>Padding of the stem's first (3-tap) convolution: 1 keeps the size (Chen et al.), 0 trims one sample per side (the ECG deck).</summary>
    public int StemPadding { get; init; } = 1;
    /// <summary>Residual blocks of the ResNet (Chen et al.'s baseline: 6).</summary>
    public int ResidualBlocks { get; init; } = 6;
    /// <summary>Whether the residual blocks' convolutions have a bias (Chen et al.: yes; the ECG deck: no).</summary>
    public bool ResidualBias { get; init; } = true;

    /// <summary>Throws with a remedy for a shape that cannot be built.</summary>
    internal void Validate()
    {
        ConvLayers.CheckDimensions(Dimensions);
        if (InputChannels < 1 || Channels < 1 || Classes < 2 || ResidualBlocks < 0 || StemPadding < 0)
            throw new ArgumentException(
                $"A conv classifier needs InputChannels ≥ 1 ({InputChannels}), Channels ≥ 1 ({Channels}), Classes ≥ 2 ({Classes}), " +
                $"ResidualBlocks ≥ 0 ({ResidualBlocks}) and StemPadding ≥ 0 ({StemPadding}).");
        if (Channels > 32 && Channels % 32 != 0)
            throw new ArgumentException($"Group norm uses min(32, C) groups, so Channels ({Channels}) above 32 must be a multiple of 32.");
    }
}
