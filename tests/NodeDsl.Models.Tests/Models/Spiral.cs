using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>Plain neural ODE of the torchdiffeq spiral demo: dh/dt = Net(h³).</summary>
[OdeModel]
public partial class Spiral
{
    [State(Size = 2)] Vec h;

    [Neural(50, Activation = Activation.Tanh)]
    private partial Vec Net(Vec x);

    [Rates]
    Vec Rhs() => Net(Pow(h, 3));
}
