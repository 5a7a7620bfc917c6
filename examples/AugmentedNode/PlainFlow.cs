using NodeDsl;

namespace AugmentedNode;

/// <summary>
/// The plain neural ODE of Dupont et al. (2019), p = 0: dx/dt = f(t, x) with f a ReLU perceptron [t, x] → 32 → 32 → 2.
/// Its flow is a homeomorphism of the plane, so it cannot pull the inner disc through the surrounding annulus.
/// </summary>
[OdeModel]
public partial class PlainFlow
{
    [State(Size = 2)] Vec x;
    [Time] double t;

    [Neural(32, 32, Activation = Activation.Relu, OutputSize = 2)]
    private partial Vec Field(double t, Vec x);

    [Rates]
    Vec Rhs() => Field(t, x);
}
