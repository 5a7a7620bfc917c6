using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>
/// Parametrised ODE: per-trajectory inputs (a bifurcation parameter mu and a 2-vector c) condition both the known
/// normal form x' = mu·x − x³ and a learned term.
/// </summary>
[OdeModel]
public partial class ParametrizedGrowth
{
    [State] double x;
    [Input] double mu;
    [Input(Size = 2)] Vec c = Vec.Zeros(2);

    [Neural(16, 16, Activation = Activation.Silu)]
    private partial double Learned(double x, double mu, Vec c);

    [Rates]
    double Rhs() => mu * x - Pow(x, 3) + Learned(x, mu, c) * Sum(c) + Dot(c, Vec.Of(x, 1.0));
}
