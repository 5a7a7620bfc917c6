using NodeDsl;
using static NodeDsl.DslMath;

namespace DoublePendulum;

/// <summary>The true double pendulum (Cranmer et al. 2020: unit masses and lengths, g = 9.8), as a known Lagrangian.</summary>
[LagrangianModel]
public partial class TrueDoublePendulum
{
    [Coordinate] double q1, q2;
    [Velocity(nameof(q1))] double q1Dot;
    [Velocity(nameof(q2))] double q2Dot;
    [Constant] double m1 = 1.0, m2 = 1.0, l1 = 1.0, l2 = 1.0, g = 9.8;

    [Lagrangian]
    double L()
    {
        var kinetic = (m1 + m2) * l1 * l1 * q1Dot * q1Dot / 2 + m2 * l2 * l2 * q2Dot * q2Dot / 2 + m2 * l1 * l2 * q1Dot * q2Dot * Cos(q1 - q2);
        var potential = -(m1 + m2) * g * l1 * Cos(q1) - m2 * g * l2 * Cos(q2);
        return kinetic - potential;
    }
}

/// <summary>
/// A Lagrangian neural network (Cranmer et al. 2020): L = ½|q̇|² + N(q, q̇). The known term keeps the mass matrix
/// positive definite at initialisation; the network learns the rest of L, including the coupling of the kinetic energy.
/// 4 → 64 → 64 → 1, softplus (smooth second derivatives): 4,545 parameters.
/// </summary>
[LagrangianModel]
public partial class Lnn
{
    [Coordinate] double q1, q2;
    [Velocity(nameof(q1))] double q1Dot;
    [Velocity(nameof(q2))] double q2Dot;

    [Neural(64, 64, Activation = Activation.Softplus)]
    private partial double Net(double q1, double q2, double q1Dot, double q2Dot);

    [Lagrangian]
    double L => (q1Dot * q1Dot + q2Dot * q2Dot) / 2 + Net(q1, q2, q1Dot, q2Dot);
}

/// <summary>The baseline: a network that predicts the accelerations directly (a second-order model), 4 → 64 → 64 → 2: 4,610 parameters.</summary>
[OdeModel]
public partial class AccelerationNet
{
    [State] double q1, q2;
    [Velocity(nameof(q1))] double q1Dot;
    [Velocity(nameof(q2))] double q2Dot;

    [Neural(64, 64, Activation = Activation.Softplus)]
    private partial (double a1, double a2) Acc(double q1, double q2, double q1Dot, double q2Dot);

    [Accelerations]
    (double q1, double q2) A()
    {
        var a = Acc(q1, q2, q1Dot, q2Dot);
        return (a.a1, a.a2);
    }
}

/// <summary>
/// A Hamiltonian neural network (Greydanus et al. 2019; the HNN arm of Cranmer et al. 2020) on canonical coordinates:
/// H = ½|p|² + N(q, p), 4 → 64 → 64 → 1 softplus (4,545 parameters, as the LNN). The double pendulum's H is not
/// separable (its kinetic energy depends on q), so neither is the network's: roll it out with the implicit midpoint rule.
/// </summary>
[HamiltonianModel]
public partial class Hnn
{
    [Coordinate] double q1, q2;
    [Momentum] double p1, p2;

    [Neural(64, 64, Activation = Activation.Softplus)]
    private partial double Net(double q1, double q2, double p1, double p2);

    [Energy]
    double H => (p1 * p1 + p2 * p2) / 2 + Net(q1, q2, p1, p2);
}
