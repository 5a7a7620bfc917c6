using NodeDsl;

namespace SystemIdentification;

/// <summary>The baseline: a plain neural ODE dz/dt = MLP(z), no structure assumed.</summary>
[OdeModel]
public partial class PlainNode
{
    [State(Size = 2)] Vec z;

    [Neural(32, 32, Activation = Activation.Tanh)]
    private partial Vec Net(Vec x);

    [Rates]
    Vec Rhs() => Net(z);
}
