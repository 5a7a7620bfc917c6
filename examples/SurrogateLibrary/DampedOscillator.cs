using NodeDsl;

namespace SurrogateLibrary;

/// <summary>
/// The damped oscillator x'' + 2ζω x' + ω² x = 0 as a universal differential equation: the spring term −ω²x is known
/// physics, the damping force is a small network of the velocity and the per-trajectory damping ratio ζ (an
/// <c>[Input]</c>), learned from trajectories by examples/SurrogateExport (truth: −2ζω v).
/// </summary>
[OdeModel]
public partial class DampedOscillator
{
    /// <summary>Natural angular frequency ω (rad per time unit).</summary>
    public const double Omega = 2.0;
    /// <summary>The network sees ζ / ZetaScale, of order one over the trained range.</summary>
    public const double ZetaScale = 0.5;

    [State] double x, v;
    [Input] double zeta;

    [Neural(16, 16, Activation = Activation.Tanh)]
    private partial double Damping(double v, double zeta);

    [Rates]
    (double x, double v) Rhs() => (v, -Omega * Omega * x + Damping(v, zeta / ZetaScale));
}
