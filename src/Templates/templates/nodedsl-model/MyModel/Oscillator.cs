using NodeDsl;
using static NodeDsl.DslMath;

namespace MyModel;

/// <summary>
/// A damped oscillator x'' = −ω²x + f(v) as a universal differential equation: the spring force −ω²x is known physics
/// with a trained frequency ω, the damping force f is a small network learned from data. The source generator turns
/// this class into a TorchSharp module with batched rates; a mistake here is a compile-time error (NODE001…).
/// </summary>
[OdeModel]
public partial class Oscillator
{
    [State] double x, v;                          // state order = declaration order: y = [x, v]
    [Learnable] double omega = 1.5;               // trained physical parameter (initial guess)

    [Neural(16, Activation = Activation.Tanh)]
    private partial double Damping(double v);     // learned term: one input, one output

    [Rates]                                       // tuple element names = state names
    (double x, double v) Rhs() => (v, -omega * omega * x + Damping(v));
}
