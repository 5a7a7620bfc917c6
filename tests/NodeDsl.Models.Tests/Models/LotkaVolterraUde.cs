using NodeDsl;

namespace NodeDsl.Models.Tests.Models;

/// <summary>Universal differential equation: known Lotka–Volterra terms plus learned interactions (the README model).</summary>
[OdeModel]
public partial class LotkaVolterraUde
{
    [State] double prey, predator;
    [Constant] double delta = 1.8;
    [Learnable] double alpha = 1.3;

    [Neural(32, 32, Activation = Activation.Tanh)]
    private partial (double a, double b) Missing(double prey, double predator);

    [Rates]
    (double prey, double predator) Rhs()
    {
        var u = Missing(prey, predator);
        return (alpha * prey + u.a,
                -delta * predator + u.b);
    }
}
