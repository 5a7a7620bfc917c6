using NodeDsl;
using static NodeDsl.DslMath;

namespace SecondOrder;

/// <summary>The true system: a damped oscillator driven by a periodic force, x'' = −ω₀² x − γ x' + F cos(Ω t).</summary>
[OdeModel]
public partial class DrivenOscillator
{
    [State] double x;
    [Velocity(nameof(x))] double v;
    [Time] double t;
    [Constant] double omega0Squared = 1.0;
    [Constant] double gamma = 0.1;
    [Constant] double force = 0.5;
    [Constant] double omega = 1.3;

    [Accelerations]
    double Acceleration() => -omega0Squared * x - gamma * v + force * Cos(omega * t);
}

/// <summary>
/// Second-order neural ODE (Norcliffe et al. 2020): a network gives the acceleration from position, velocity and time;
/// only x is observed, so the velocity is latent. 3 → 24 → 1: 121 parameters.
/// </summary>
[OdeModel]
public partial class Sonode
{
    [State] double x;
    [Velocity(nameof(x), Latent = true)] double v;
    [Time] double t;

    [Neural(24, Activation = Activation.Tanh)]
    private partial double Acceleration(double x, double v, double t);

    [Accelerations]
    double A() => Acceleration(x, v, t);
}

/// <summary>
/// Augmented neural ODE (Dupont et al. 2019) with one zero-initialised extra dimension: a first-order field of (x, a, t).
/// 3 → 20 → 2: 122 parameters, the SONODE's count to within one.
/// </summary>
[OdeModel]
public partial class Anode
{
    [State] double x;
    [Augmented] double a;
    [Time] double t;

    [Neural(20, Activation = Activation.Tanh)]
    private partial (double x, double a) Field(double x, double a, double t);

    [Rates]
    (double x, double a) R() => Field(x, a, t);
}
