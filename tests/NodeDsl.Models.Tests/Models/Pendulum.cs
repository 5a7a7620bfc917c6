using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>Hamiltonian pendulum: known kinetic term p²/(2 m l²) and a neural potential V(q).</summary>
[HamiltonianModel]
public partial class NeuralPendulum
{
    [Coordinate] double q;
    [Momentum] double p;
    [Constant] double m = 1.0;
    [Constant] double l = 1.2;

    [Neural(32, 32, Activation = Activation.Tanh)]
    private partial double V(double q);

    [Energy]
    double H => p * p / (2 * m * l * l) + V(q);
}

/// <summary>Hamiltonian pendulum with a fully known energy (for energy conservation under a solver).</summary>
[HamiltonianModel]
public partial class KnownPendulum
{
    [Coordinate] double q;
    [Momentum] double p;
    [Constant] double m = 1.0;
    [Constant] double g = 9.81;
    [Learnable] double length = 1.0;

    [Energy]
    double H => p * p / (2 * m * length * length) + m * g * length * (1 - Cos(q));
}

/// <summary>
/// Two coupled degrees of freedom whose energy exercises the differentiation rules: products, quotients, the chain
/// rule through Exp/Sin/Tanh/Pow/Sqrt/Softplus, a time-dependent term, and a two-input network.
/// </summary>
[HamiltonianModel]
public partial class CoupledOscillators
{
    [Coordinate] double q1;
    [Momentum] double p1;
    [Coordinate] double q2;
    [Momentum] double p2;
    [Time] double t;
    [Learnable] double k = 0.7;

    [Neural(8, Activation = Activation.Sigmoid)]
    private partial (double a, double b) Coupling(double q1, double q2);

    [Energy]
    double Energy()
    {
        var c = Coupling(q1, q2);
        var kinetic = Square(p1) / 2 + Pow(p2, 2) / (2 + Tanh(q1) * Tanh(q1));
        var potential = k * q1 * q1 / 2 + Exp(-q2) * Sin(q2) + Sqrt(1 + q2 * q2) + Softplus(q1 * p2) / 10;
        return kinetic + potential + c.a * c.b + Cos(t) * q1 * p2 / 5;
    }
}
