using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>
/// Not a physical model: exercises every construct a rate body may use (so the oracle test covers each emitter path):
/// System.Math and NodeDsl.DslMath functions, constant folding, casts, this-access, deconstruction, tuple element
/// names and ItemN, Vec indexing from the end, ranges, Vec.Of/Concat, Sum/Dot, constant ∘ tensor operators.
/// </summary>
[OdeModel]
public partial class ExpressionCoverage
{
    [State] double x;
    [State(Size = 3)] Vec h;
    [Time] double t;
    [Input] double mu;
    [Constant] double c = 0.75;
    [Constant] const double Two = 2;
    [Learnable] double k = -0.4;

    [Neural(6, Activation = Activation.Identity)]
    private partial (double first, double second) Pair(double x, Vec h);

    [Neural(5, Activation = Activation.Sigmoid, OutputSize = 3)]
    private partial Vec Mix(Vec v, double s);

    [Rates]
    (double x, Vec h) Rhs()
    {
        var (a, b) = Pair(x, h);
        var pair = Pair(x, h);
        double scaled = (double)(2 * System.Math.PI) * this.x / Two;
        var trig = Sin(x) + Cos(t) + Tan(x / 4) + Sinh(x / 3) + Cosh(x / 5) + Tanh(k * x);
        var positive = Exp(-x * x) + Log(2 + x * x) + Sqrt(1 + h[0] * h[0]) + Abs(h[^1]) + Sign(h[1]) + Square(mu);
        var gates = Sigmoid(x) + Softplus(h[2]) + Relu(x - 0.1) + Pow(Two, x) + Pow(1 + x * x, mu) + System.Math.Exp(-mu);
        var inverse = c / (Two + x * x) - 1 / (3 + h[1] * h[1]) + (+k);
        var v = Vec.Concat(h[0..2], x) * 0.5 - Vec.Of(mu, 1.0, k) + c;
        var mixed = Mix(v, pair.Item2) + Tanh(h) * a - Pow(h, 2) / (1 + Exp(h));
        var dx = scaled + trig + positive + gates + inverse + b * pair.first + Sum(h) * Dot(h, v) / 10;
        return (dx, 1 - mixed * Sigmoid(h) + Relu(h) - Abs(h) + Sign(h) * Softplus(-h) + Square(h) / 7 + Log(2 + Cos(h)));
    }
}

/// <summary>A Hamiltonian model with a per-trajectory input and a learnable in the energy.</summary>
[HamiltonianModel]
public partial class DrivenWell
{
    [Coordinate] double q;
    [Momentum] double p;
    [Input] double depth;
    [Learnable] double width = 0.8;

    [Energy]
    double H() => Square(p) / 2 - depth * Exp(-Square(q / width)) + Pow(q, 4) / 20;
}
