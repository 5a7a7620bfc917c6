using NodeDsl;
using static NodeDsl.DslMath;

namespace SolverComparison;

/// <summary>
/// The neural ODE of Chen et al.'s spiral demo, the model of examples/Spiral: dh/dt = MLP(h³), one hidden tanh layer
/// of 50 units. Every configuration of the comparison trains a fresh copy from the same seed.
/// </summary>
[OdeModel]
public partial class SpiralNode
{
    [State(Size = 2)] Vec h;

    [Neural(50, Activation = Activation.Tanh)]
    private partial Vec Net(Vec x);

    [Rates]
    Vec Rhs() => Net(Pow(h, 3));
}
