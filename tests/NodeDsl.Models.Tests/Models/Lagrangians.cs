using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>The pendulum as a Lagrangian: L = m l² q̇²/2 + m g l cos q, so q̈ = −(g/l) sin q.</summary>
[LagrangianModel]
public partial class LagrangianPendulum
{
    [Coordinate] double q;
    [Velocity(nameof(q))] double qDot;
    [Constant] double m = 1.3;
    [Constant] double g = 9.81;
    [Learnable] double length = 0.8;

    [Lagrangian]
    double L => m * length * length * qDot * qDot / 2 + m * g * length * Cos(q);
}

/// <summary>The double pendulum of Cranmer et al. (2020), with the Lagrangian written out in angles.</summary>
[LagrangianModel]
public partial class DoublePendulumLagrangian
{
    [Coordinate] double q1;
    [Coordinate] double q2;
    [Velocity(nameof(q1))] double q1Dot;
    [Velocity(nameof(q2))] double q2Dot;
    [Constant] double m1 = 1.0;
    [Constant] double m2 = 0.7;
    [Constant] double l1 = 1.1;
    [Constant] double l2 = 0.9;
    [Constant] double g = 9.81;

    [Lagrangian]
    double L()
    {
        var kinetic = (m1 + m2) * l1 * l1 * q1Dot * q1Dot / 2 + m2 * l2 * l2 * q2Dot * q2Dot / 2
                      + m2 * l1 * l2 * q1Dot * q2Dot * Cos(q1 - q2);
        var potential = -(m1 + m2) * g * l1 * Cos(q1) - m2 * g * l2 * Cos(q2);
        return kinetic - potential;
    }
}

/// <summary>
/// A Lagrangian neural network (Cranmer et al. 2020) with a known kinetic term: the network term reads coordinates
/// and velocities, so its mass-matrix and mixed contributions come from autograd Hessian–vector products; a
/// time-dependent known term exercises ∂²L/∂q̇∂t.
/// </summary>
[LagrangianModel]
public partial class NeuralLagrangian
{
    [Coordinate] double q1;
    [Coordinate] double q2;
    [Velocity(nameof(q1))] double q1Dot;
    [Velocity(nameof(q2))] double q2Dot;
    [Time] double t;
    [Learnable] double mass = 1.5;

    [Neural(16, Activation = Activation.Tanh)]
    private partial double Net(double q1, double q2, double q1Dot, double q2Dot, double t);

    [Lagrangian]
    double L => mass * (q1Dot * q1Dot + q2Dot * q2Dot) / 2 + 0.1 * Net(q1, q2, q1Dot, q2Dot, t) + 0.3 * q1Dot * Sin(t) * q2;
}

/// <summary>L = q² q̇²/2 − q²/2: the mass matrix q² vanishes at q = 0 (for the singular-mass-matrix error).</summary>
[LagrangianModel]
public partial class DegenerateLagrangian
{
    [Coordinate] double q;
    [Velocity(nameof(q))] double qDot;

    [Lagrangian]
    double L => q * q * qDot * qDot / 2 - q * q / 2;
}

/// <summary>
/// A fully learned Lagrangian (Cranmer et al. 2020) plus a known kinetic term, whose network reads every state in y
/// order — so the generated code passes it one view of y rather than the per-state columns.
/// </summary>
[LagrangianModel]
public partial class LearnedLagrangian
{
    [Coordinate] double q;
    [Velocity(nameof(q))] double qDot;

    [Neural(12, Activation = Activation.Softplus)]
    private partial double Net(double q, double qDot);

    [Lagrangian]
    double L => qDot * qDot / 2 + Net(q, qDot);
}
