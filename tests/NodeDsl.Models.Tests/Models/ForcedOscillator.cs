using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>Time-dependent rates: a damped oscillator with known periodic forcing and a learned, time-dependent correction.</summary>
[OdeModel]
public partial class ForcedOscillator
{
    [State] double x, v;
    [Time] double t;
    [Constant] const double Omega = 1.3;
    [Learnable] double damping = 0.15;
    [Learnable] double amplitude = 0.5;

    [Neural(16, Activation = Activation.Softplus)]
    private partial double Correction(double t, double x);

    [Rates]
    (double x, double v) Rhs()
    {
        var forcing = amplitude * Cos(Omega * t) + Exp(-t / 4) * Sin(2 * t);
        return (v, -Omega * Omega * x - damping * v + forcing + Correction(t, x));
    }
}
