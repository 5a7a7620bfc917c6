using NodeDsl;

namespace OdeNetImages;

/// <summary>
/// The ODE block's vector field as a DSL model: the state is the stem's feature maps, flattened
/// (<see cref="ConvRates.Size"/> values), and <c>dh/dt = f(h, t)</c> is the custom convolution block
/// <see cref="ConvRates"/>, which receives the time as an extra input.
/// </summary>
[OdeModel]
public partial class FeatureFlow
{
    [State(Size = ConvRates.Size)] Vec h = Vec.Zeros(ConvRates.Size);
    [Time] double t;

    [Neural(typeof(ConvRates), OutputSize = ConvRates.Size)]
    private partial Vec Field(Vec h, double t);

    [Rates]
    Vec Rhs() => Field(h, t);
}
