using NodeDsl.Runtime.Classification;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>
/// The image ODE-Net's rates network (<see cref="ConcatConvField"/> with ReLU, as in Chen et al. 2018): C = 32 channels
/// on the stem's 7×7 feature maps.
/// </summary>
public sealed class ConvRates : ConcatConvField
{
    /// <summary>Feature channels C (Chen et al. use 64; 32 keeps a CPU run short, see docs/odenet-images.md).</summary>
    public const int Channels = 32;
    /// <summary>Side S of the feature maps after the stem's two stride-2 convolutions (28 → 14 → 7).</summary>
    public const int Side = 7;
    /// <summary>Values per example, C·S·S.</summary>
    public const int Size = Channels * Side * Side;

    /// <summary>Creates the block with TorchSharp's default initialisation (seeded by the model).</summary>
    public ConvRates() : base(nameof(ConvRates), Channels, Side, x => nn.functional.relu(x)) { }
}
