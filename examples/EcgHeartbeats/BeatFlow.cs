using NodeDsl;

namespace EcgHeartbeats;

/// <summary>The ODE-Net's vector field as a DSL model: the stem's feature maps, flattened, with the custom 1-D conv rates.</summary>
[OdeModel]
public partial class BeatFlow
{
    [State(Size = ConvRates1d.Size)] Vec h = Vec.Zeros(ConvRates1d.Size);
    [Time] double t;

    [Neural(typeof(ConvRates1d), OutputSize = ConvRates1d.Size)]
    private partial Vec Field(Vec h, double t);

    [Rates]
    Vec Rhs() => Field(h, t);
}
