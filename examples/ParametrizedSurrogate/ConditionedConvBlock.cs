using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ParametrizedSurrogate;

/// <summary>
/// The parametrised ODE block of the conv surrogate (Application III of the seed talk, after Fresca et al. 2021):
/// the state <c>u</c> on a periodic grid and the parameter μ broadcast along the grid are two input channels;
/// Conv1d(2→16, k = 3) · tanh · Conv1d(16→1, k = 3), both with circular padding so the block commutes with
/// periodic shifts of the grid.
/// </summary>
/// <remarks>
/// The DSL hands a network its arguments side by side, so <c>Block(u, mu)</c> arrives as one row
/// <c>[batch, n + 1]</c>: the first <c>n</c> columns are <c>u</c>, the last is μ. The grid size is read from the
/// input, so the same block works on any grid.
/// </remarks>
public sealed class ConditionedConvBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Hidden channels (16 in the talk's table).</summary>
    public const int Channels = 16;

    readonly Conv1d first;
    readonly Conv1d second;

    /// <summary>Creates the block with TorchSharp's default (seeded by the model) initialisation.</summary>
    public ConditionedConvBlock() : base(nameof(ConditionedConvBlock))
    {
        first = nn.Conv1d(2, Channels, 3, padding: 1, padding_mode: PaddingModes.Circular);
        second = nn.Conv1d(Channels, 1, 3, padding: 1, padding_mode: PaddingModes.Circular);
        RegisterComponents();
    }

    /// <summary><c>[batch, n + 1]</c> (u, μ) → <c>[batch, n]</c> rates.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long n = input.shape[1] - 1;
        var u = input.narrow(1, 0, n).unsqueeze(1);                  // [batch, 1, n]
        var mu = input.narrow(1, n, 1).unsqueeze(1).expand(-1, 1, n); // [batch, 1, n], constant along the grid
        var channels = cat([u, mu], 1);
        return second.forward(first.forward(channels).tanh()).squeeze(1).MoveToOuterDisposeScope();
    }
}
