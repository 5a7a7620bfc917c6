using NodeDsl;

namespace Cnf;

/// <summary>
/// The vector field of the flow: dz/dt = f(t, z), a time-dependent perceptron [t, z] → 64 → 64 → 2 (tanh). FFJORD's
/// toy models use three hidden layers of 64 with "concat-squash" time conditioning; here time is an ordinary input.
/// </summary>
[OdeModel]
public partial class FlowField
{
    [State(Size = 2)] Vec z;
    [Time] double t;

    [Neural(64, 64, Activation = Activation.Tanh, OutputSize = 2)]
    private partial Vec Net(double t, Vec z);

    [Rates]
    Vec Rhs() => Net(t, z);
}
