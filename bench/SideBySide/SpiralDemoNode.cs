using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.SideBySide;

/// <summary>The neural ODE of torchdiffeq's spiral demo (Chen et al. 2018) as a DSL model: dh/dt = MLP(h³), MLP 2→50→tanh→2.</summary>
[OdeModel]
public partial class SpiralDemoNode
{
    [State(Size = 2)] Vec h;

    [Neural(50, Activation = Activation.Tanh)]
    private partial Vec Net(Vec x);

    [Rates]
    Vec Rhs() => Net(Pow(h, 3));
}
