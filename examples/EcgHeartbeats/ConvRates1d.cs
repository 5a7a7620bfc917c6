using NodeDsl.Runtime.Classification;
using static TorchSharp.torch;

namespace EcgHeartbeats;

/// <summary>
/// The ODE-Net's rates on 1-D feature maps h ∈ ℝ^{C×L} (the Zurlo–Facci ODENet, after Chen et al.'s ODEfunc): a
/// <see cref="ConcatConvField"/> with ReLU and 3-tap convolutions that see the time as one extra constant channel.
/// </summary>
public sealed class ConvRates1d : ConcatConvField
{
    /// <summary>Feature channels C (the deck's 64).</summary>
    public const int Channels = 64;
    /// <summary>Length L of the feature maps after the stem: 187 → 185 (3-tap, no padding) → 92 → 46 (two 4-tap, stride 2).</summary>
    public const int Length = 46;
    /// <summary>Values per beat, C·L.</summary>
    public const int Size = Channels * Length;

    /// <summary>Creates the block with TorchSharp's default initialisation (seeded by the model).</summary>
    public ConvRates1d() : base(nameof(ConvRates1d), Channels, Length, x => nn.functional.relu(x), dimensions: 1) { }
}
