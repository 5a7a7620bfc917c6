using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>
/// A pendulum driven at Ω = 0.5 with a learnable friction: θ'' = −sin θ + friction·θ' + 2.5 cos(Ω t). The rates depend
/// on absolute time, so training on windows recovers the friction only if every window is solved at its own times.
/// </summary>
[OdeModel]
public partial class ForcedPendulum
{
    [State] double theta, omega;
    [Time] double t;
    [Constant] const double Drive = 0.5;
    [Constant] const double Amplitude = 2.5;
    [Learnable] double friction = 0.0;

    [Rates]
    (double theta, double omega) Rhs() => (omega, -Sin(theta) + friction * omega + Amplitude * Cos(Drive * t));
}
