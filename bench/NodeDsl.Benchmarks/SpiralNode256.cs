using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Benchmarks;

/// <summary>The spiral model with a wider network (MLP 2→256→tanh→2), for the backend crossover table.</summary>
[OdeModel]
public partial class SpiralNode256
{
    [State(Size = 2)] Vec h;

    [Neural(256, Activation = Activation.Tanh)]
    private partial Vec Net(Vec x);

    [Rates]
    Vec Rhs() => Net(Pow(h, 3));
}
