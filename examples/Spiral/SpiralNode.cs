using NodeDsl;
using static NodeDsl.DslMath;

namespace Spiral;

/// <summary>The neural ODE of Chen et al.'s spiral demo: dh/dt = MLP(h³), one hidden tanh layer.</summary>
[OdeModel]
public partial class SpiralNode
{
    [State(Size = 2)] Vec h;

    [Neural(50, Activation = Activation.Tanh)]
    private partial Vec Net(Vec x);

    [Rates]
    Vec Rhs() => Net(Pow(h, 3));
}
