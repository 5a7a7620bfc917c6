using NodeDsl;

namespace LotkaVolterraUde;

/// <summary>
/// The universal differential equation: the known linear growth αx and decay −δy, plus a network for the
/// unknown interaction terms (truth: −βxy and +γxy).
/// </summary>
[OdeModel]
public partial class PredatorPreyUde
{
    [State] double prey, predator;
    [Constant] public const double Alpha = 1.3, Delta = 1.8;

    [Neural(32, 32, Activation = Activation.Tanh)]
    private partial (double prey, double predator) Interaction(double prey, double predator);

    [Rates]
    (double prey, double predator) Rhs()
    {
        var u = Interaction(prey, predator);
        return (Alpha * prey + u.prey, -Delta * predator + u.predator);
    }
}
