using NodeDsl.Runtime.Classification;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgHeartbeats;

/// <summary>
/// The ODE-Net's rates on 1-D feature maps h ∈ ℝ^{C×L} (the Zurlo–Facci ODENet, after Chen et al.'s ODEfunc):
/// <c>f(h, t) = GN(conv([ReLU(GN(conv([ReLU(GN(h)), t]))), t]))</c> with 3-tap convolutions that see the time as one extra
/// constant channel ("ConcatConv1d").
/// </summary>
/// <remarks>
/// <c>Field(h, t)</c> arrives as one row <c>[batch, C·L + 1]</c>: the flattened maps, then t. Group norm keeps each beat's
/// rates independent of the rest of its batch (needed by the per-beat error norm and the adjoint's backward solve).
/// </remarks>
public sealed class ConvRates1d : nn.Module<Tensor, Tensor>
{
    /// <summary>Feature channels C (the deck's 64).</summary>
    public const int Channels = 64;
    /// <summary>Length L of the feature maps after the stem: 187 → 185 (3-tap, no padding) → 92 → 46 (two 4-tap, stride 2).</summary>
    public const int Length = 46;
    /// <summary>Values per beat, C·L.</summary>
    public const int Size = Channels * Length;

    readonly GroupNorm norm1, norm2, norm3;
    readonly Conv1d conv1, conv2;

    /// <summary>Creates the block with TorchSharp's default initialisation (seeded by the model).</summary>
    public ConvRates1d() : base(nameof(ConvRates1d))
    {
        norm1 = Norm();
        conv1 = nn.Conv1d(Channels + 1, Channels, 3, padding: 1);
        norm2 = Norm();
        conv2 = nn.Conv1d(Channels + 1, Channels, 3, padding: 1);
        norm3 = Norm();
        RegisterComponents();
    }

    /// <summary>Group norm with 32 groups, as in the deck.</summary>
    internal static GroupNorm Norm() => Normalization.GroupNorm(32, Channels);

    /// <summary><c>[batch, C·L + 1]</c> (h, t) → <c>[batch, C·L]</c> rates.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0];
        var h = input.narrow(1, 0, Size).reshape(batch, Channels, Length);
        var t = input.narrow(1, Size, 1).reshape(batch, 1, 1).expand(batch, 1, Length);
        var x = conv1.forward(cat([nn.functional.relu(norm1.forward(h)), t], 1));
        x = conv2.forward(cat([nn.functional.relu(norm2.forward(x)), t], 1));
        return norm3.forward(x).reshape(batch, Size).MoveToOuterDisposeScope();
    }
}
