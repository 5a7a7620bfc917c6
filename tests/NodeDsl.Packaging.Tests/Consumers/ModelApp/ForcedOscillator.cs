using NodeDsl;
using static NodeDsl.DslMath;

namespace ModelApp;

/// <summary>A forced, damped oscillator with a learnable damping, a [Time]-dependent forcing and a neural correction.</summary>
[OdeModel]
public partial class ForcedOscillator
{
    [State] double x, v;
    [Time] double t;
    [Learnable] double damping = 0.3;

    [Neural(16, Activation = Activation.Tanh)]
    private partial double Correction(double x, double v);

    [Rates]
    (double x, double v) Rhs() => (v, -4 * x - damping * v + Cos(t) + Correction(x, v));
}
