using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Benchmarks;

/// <summary>The spiral neural ODE of the torchdiffeq demo as a DSL model: dh/dt = MLP(h³), MLP 2→50→tanh→2.</summary>
[OdeModel]
public partial class SpiralNode
{
    [State(Size = 2)] Vec h;

    [Neural(50, Activation = Activation.Tanh)]
    private partial Vec Net(Vec x);

    [Rates]
    Vec Rhs() => Net(Pow(h, 3));
}
