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

/// <summary>
/// Four masses on springs between two walls, over Vec coordinates: L = m q̇·q̇/2 + c Σ q̇ᵢq̇ᵢ₊₁ + a Σ qᵢ²q̇ᵢ²/2 −
/// k/2 Σ (qᵢ₊₁ − qᵢ)² − k/2 (q₀² + q₃²). The velocity coupling c makes M tridiagonal, the q-dependent inertia a makes
/// M depend on q (so C ≠ 0); M ⪰ (m − 2c) I stays positive definite. <see cref="LagrangianChainScalars"/> is the same
/// Lagrangian written over scalars.
/// </summary>
[LagrangianModel]
public partial class LagrangianChain
{
    [Coordinate(Size = 4)] Vec q;
    [Velocity(nameof(q))] Vec qDot;
    [Learnable] double m = 1.2;
    [Constant] double c = 0.3;
    [Constant] double a = 0.2;
    [Constant] double k = 3.0;

    [Lagrangian]
    double L => m * Dot(qDot, qDot) / 2 + c * Dot(qDot[1..], qDot[..^1]) + a * Sum(Square(q) * Square(qDot)) / 2
                - k / 2 * Sum(Square(q[1..] - q[..^1])) - k / 2 * (q[0] * q[0] + q[^1] * q[^1]);
}

/// <summary><see cref="LagrangianChain"/> written over four scalar coordinates (for the scalars-vs-vectors test).</summary>
[LagrangianModel]
public partial class LagrangianChainScalars
{
    [Coordinate] double q0;
    [Coordinate] double q1;
    [Coordinate] double q2;
    [Coordinate] double q3;
    [Velocity(nameof(q0))] double v0;
    [Velocity(nameof(q1))] double v1;
    [Velocity(nameof(q2))] double v2;
    [Velocity(nameof(q3))] double v3;
    [Learnable] double m = 1.2;
    [Constant] double c = 0.3;
    [Constant] double a = 0.2;
    [Constant] double k = 3.0;

    [Lagrangian]
    double L()
    {
        var kinetic = m * (v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3) / 2 + c * (v1 * v0 + v2 * v1 + v3 * v2)
                      + a * (q0 * q0 * v0 * v0 + q1 * q1 * v1 * v1 + q2 * q2 * v2 * v2 + q3 * q3 * v3 * v3) / 2;
        var springs = k / 2 * ((q1 - q0) * (q1 - q0) + (q2 - q1) * (q2 - q1) + (q3 - q2) * (q3 - q2)) + k / 2 * (q0 * q0 + q3 * q3);
        return kinetic - springs;
    }
}

/// <summary>
/// A Vec coordinate beside a scalar one, all terms known: a velocity coupling between the blocks that depends on q, an
/// x-dependent inertia, and an explicitly time-dependent term (∂²L/∂q̇∂t ≠ 0 for the Vec block).
/// </summary>
[LagrangianModel]
public partial class CoupledVecLagrangian
{
    [Coordinate(Size = 2)] Vec q;
    [Coordinate] double x;
    [Velocity(nameof(q))] Vec qDot;
    [Velocity(nameof(x))] double xDot;
    [Time] double t;
    [Learnable] double k = 2.0;

    [Lagrangian]
    double L => Dot(qDot, qDot) / 2 + (1 + x * x / 4) * xDot * xDot / 2 + 0.2 * xDot * Dot(qDot, Sin(q))
                + 0.3 * Sin(t) * Dot(qDot, q) - k / 2 * Sum(Square(q)) - Cos(x);
}

/// <summary>A Lagrangian neural network over a Vec and a scalar coordinate: the network term reads both blocks and time.</summary>
[LagrangianModel]
public partial class NeuralVecLagrangian
{
    [Coordinate(Size = 2)] Vec q;
    [Coordinate] double x;
    [Velocity(nameof(q))] Vec qDot;
    [Velocity(nameof(x))] double xDot;
    [Time] double t;
    [Learnable] double mass = 1.5;

    [Neural(12, Activation = Activation.Tanh)]
    private partial double Net(Vec q, double x, Vec qDot, double xDot, double t);

    [Lagrangian]
    double L => mass * Dot(qDot, qDot) / 2 + xDot * xDot / 2 + 0.1 * Net(q, x, qDot, xDot, t) - Sum(Square(q)) / 2 - x * x;
}

/// <summary>L = Σ qᵢ² q̇ᵢ²/2 − Σ qᵢ²/2 over a Vec: M = diag(q²) is singular wherever a component of q vanishes.</summary>
[LagrangianModel]
public partial class DegenerateVecLagrangian
{
    [Coordinate(Size = 2)] Vec q;
    [Velocity(nameof(q))] Vec qDot;

    [Lagrangian]
    double L => Sum(Square(q) * Square(qDot)) / 2 - Sum(Square(q)) / 2;
}
