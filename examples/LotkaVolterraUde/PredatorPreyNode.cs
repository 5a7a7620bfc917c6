using NodeDsl;

namespace LotkaVolterraUde;

/// <summary>The baseline: a pure neural ODE with the same network and no known physics.</summary>
[OdeModel]
public partial class PredatorPreyNode
{
    [State] double prey, predator;

    [Neural(32, 32, Activation = Activation.Tanh)]
    private partial (double prey, double predator) Field(double prey, double predator);

    [Rates]
    (double prey, double predator) Rhs() => Field(prey, predator);
}
