using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>
/// Eight unit masses joined by springs of stiffness k, both ends tied to walls, written over Vec coordinates and momenta:
/// H = p·p/(2m) + k/2·Σ(q[i+1] − q[i])² + k/2·(q[0]² + q[7]²). Its normal modes are known in closed form (the example
/// and the hand-derived chain test use them).
/// </summary>
[HamiltonianModel]
public partial class SpringChain
{
    [Coordinate(Size = 8)] Vec q;
    [Momentum(Size = 8)] Vec p;
    [Constant] double m = 1.0;
    [Learnable] double k = 4.0;

    [Energy]
    double H => Dot(p, p) / (2 * m) + k / 2 * Sum(Square(q[1..] - q[..^1])) + k / 2 * (q[0] * q[0] + q[^1] * q[^1]);
}

/// <summary>
/// A vector Hamiltonian that exercises the reverse-mode gradient: a network of the whole coordinate vector, a Vec-valued
/// network of the pairwise differences summed, a non-separable p–q coupling, Pow over a Vec, a scalar pair beside the
/// Vec pair, and time.
/// </summary>
[HamiltonianModel]
public partial class NeuralChain
{
    [Coordinate(Size = 4)] Vec q;
    [Momentum(Size = 4)] Vec p;
    [Coordinate] double x;
    [Momentum] double px;
    [Time] double t;
    [Learnable] double k = 1.5;

    [Neural(16, Activation = Activation.Tanh)]
    private partial double V(Vec q, double x);

    [Neural(8, Activation = Activation.Tanh, OutputSize = 2)]
    private partial Vec Bond(Vec d);

    [Energy]
    double Energy()
    {
        var d = q[1..] - q[..^1];
        var kinetic = Dot(p, p) / 2 + px * px / (2 + Sum(Square(q)) / 4);
        var springs = k / 2 * Sum(Pow(d, 2)) + Sum(Bond(d)) / 3;
        var coupling = Exp(-Sum(Square(q)) / 8) * Dot(p, Sin(q)) / 5 + Cos(t) * x * q[2];
        return kinetic + springs + V(q, x) + coupling + Sum(Sqrt(1 + q * q)) / 4;
    }
}

/// <summary>
/// Independent oscillators in an interleaved layout (a Vec pair, then a scalar pair: coordinates at columns 0–2 and 6):
/// q'' = −q and x'' = −4x, so q(t) = q₀ cos t + p₀ sin t and x(t) = x₀ cos 2t + (px₀/2) sin 2t.
/// </summary>
[HamiltonianModel]
public partial class MixedChain
{
    [Coordinate(Size = 3)] Vec q;
    [Momentum(Size = 3)] Vec p;
    [Coordinate] double x;
    [Momentum] double px;

    [Energy]
    double H => Dot(p, p) / 2 + Dot(q, q) / 2 + px * px / 2 + 2 * x * x;
}
