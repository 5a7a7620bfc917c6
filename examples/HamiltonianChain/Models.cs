using NodeDsl;
using static NodeDsl.DslMath;

namespace HamiltonianChain;

/// <summary>
/// The Fermi–Pasta–Ulam–Tsingou β chain with fixed ends (the data): eight masses, nine springs with force
/// k·d + β·d³, H = p·p/(2m) + Σ k/2·d² + β/4·d⁴ over the stretches d of the nine springs.
/// </summary>
[HamiltonianModel(TimeUnit = "s")]
public partial class FpuChain
{
    [Coordinate(Size = 8, Unit = "m")] Vec q;
    [Momentum(Size = 8, Unit = "kg*m/s")] Vec p;
    [Constant(Unit = "kg")] double m = 1.0;
    [Constant(Unit = "N/m")] double k = 1.0;
    [Constant(Unit = "N/m^3")] double beta = 2.0;

    [Energy]
    double H()
    {
        var d = Vec.Concat(q[0], q[1..] - q[..^1], -q[^1]);   // the nine springs: wall–q0, q0–q1, …, q7–wall
        return Dot(p, p) / (2 * m) + k / 2 * Dot(d, d) + beta / 4 * Sum(Square(Square(d)));
    }
}

/// <summary>The model to fit, over Vec coordinates and momenta: the chain's form with unknown k and β.</summary>
[HamiltonianModel(TimeUnit = "s")]
public partial class VecChain
{
    [Coordinate(Size = 8, Unit = "m")] Vec q;
    [Momentum(Size = 8, Unit = "kg*m/s")] Vec p;
    [Constant(Unit = "kg")] double m = 1.0;
    [Learnable(Unit = "N/m")] double k = 0.5;
    [Learnable(Unit = "N/m^3")] double beta = 0.5;

    [Energy]
    double H()
    {
        var d = Vec.Concat(q[0], q[1..] - q[..^1], -q[^1]);
        return Dot(p, p) / (2 * m) + k / 2 * Dot(d, d) + beta / 4 * Sum(Square(Square(d)));
    }
}

/// <summary>
/// The same model as eight scalar coordinate–momentum pairs, as it had to be written before Vec coordinates: the same
/// state order (q0…q7, p0…p7) and the same numbers, but every derivative a column of its own.
/// </summary>
[HamiltonianModel(TimeUnit = "s")]
public partial class ScalarChain
{
    [Coordinate(Unit = "m")] double q0, q1, q2, q3, q4, q5, q6, q7;
    [Momentum(Unit = "kg*m/s")] double p0, p1, p2, p3, p4, p5, p6, p7;
    [Constant(Unit = "kg")] double m = 1.0;
    [Learnable(Unit = "N/m")] double k = 0.5;
    [Learnable(Unit = "N/m^3")] double beta = 0.5;

    [Energy]
    double H()
    {
        var kinetic = (p0 * p0 + p1 * p1 + p2 * p2 + p3 * p3 + p4 * p4 + p5 * p5 + p6 * p6 + p7 * p7) / (2 * m);
        var d0 = q0;
        var d1 = q1 - q0;
        var d2 = q2 - q1;
        var d3 = q3 - q2;
        var d4 = q4 - q3;
        var d5 = q5 - q4;
        var d6 = q6 - q5;
        var d7 = q7 - q6;
        var d8 = -q7;
        var quadratic = d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3 + d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7 + d8 * d8;
        var quartic = Square(d0 * d0) + Square(d1 * d1) + Square(d2 * d2) + Square(d3 * d3) + Square(d4 * d4)
                      + Square(d5 * d5) + Square(d6 * d6) + Square(d7 * d7) + Square(d8 * d8);
        return kinetic + k / 2 * quadratic + beta / 4 * quartic;
    }
}

/// <summary>
/// The same chain as a plain ODE over Vec states with the forces written by hand: p' = F(d)[1..] − F(d)[..^1] with the
/// spring force F(d) = k·d + β·d³. No energy to differentiate; the yardstick for what the Hamiltonian formulations cost.
/// </summary>
[OdeModel(TimeUnit = "s")]
public partial class VecChainOde
{
    [State(Size = 8, Unit = "m")] Vec q;
    [State(Size = 8, Unit = "kg*m/s")] Vec p;
    [Constant(Unit = "kg")] double m = 1.0;
    [Learnable(Unit = "N/m")] double k = 0.5;
    [Learnable(Unit = "N/m^3")] double beta = 0.5;

    [Rates]
    (Vec q, Vec p) Rhs()
    {
        var d = Vec.Concat(q[0], q[1..] - q[..^1], -q[^1]);
        var f = k * d + beta * d * d * d;
        return (p / m, f[1..] - f[..^1]);
    }
}
