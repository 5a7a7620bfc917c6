using NodeDsl;
using NodeDsl.Runtime.Classification;
using OdeNetImages;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests;

/// <summary>The image ODE block's rates network (<see cref="ConcatConvField"/>) at a tiny size: 2 channels on 6×6 maps, ReLU as in the example.</summary>
public sealed class TinyReluRates() : ConcatConvField(nameof(TinyReluRates), Channels, Side, x => nn.functional.relu(x))
{
    public const int Channels = 2, Side = 6, Size = Channels * Side * Side;
}

/// <summary>The same network with softplus in place of ReLU: a field with a continuous Jacobian.</summary>
public sealed class TinySoftplusRates() : ConcatConvField(nameof(TinySoftplusRates), TinyReluRates.Channels, TinyReluRates.Side, x => nn.functional.softplus(x))
{
}

/// <summary>The example's <see cref="FeatureFlow"/> with the tiny ReLU block (same DSL shape: state h, time channel).</summary>
[OdeModel]
public partial class TinyReluFlow
{
    [State(Size = TinyReluRates.Size)] Vec h = Vec.Zeros(TinyReluRates.Size);
    [Time] double t;

    [Neural(typeof(TinyReluRates), OutputSize = TinyReluRates.Size)]
    private partial Vec Field(Vec h, double t);

    [Rates]
    Vec Rhs() => Field(h, t);
}

/// <summary>The example's <see cref="FeatureFlow"/> with the tiny softplus block.</summary>
[OdeModel]
public partial class TinySoftplusFlow
{
    [State(Size = TinyReluRates.Size)] Vec h = Vec.Zeros(TinyReluRates.Size);
    [Time] double t;

    [Neural(typeof(TinySoftplusRates), OutputSize = TinyReluRates.Size)]
    private partial Vec Field(Vec h, double t);

    [Rates]
    Vec Rhs() => Field(h, t);
}
