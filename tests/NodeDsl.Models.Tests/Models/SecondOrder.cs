using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>A damped, driven oscillator written as a second-order model: x'' = −k x − c x' + F cos(ω t).</summary>
[OdeModel]
public partial class DrivenOscillator
{
    [State] double x;
    [Velocity(nameof(x))] double v;
    [Time] double t;
    [Learnable] double k = 1.5;
    [Learnable] double c = 0.2;
    [Constant] double force = 0.5;
    [Constant] double omega = 1.3;

    [Accelerations]
    double Acceleration() => -k * x - c * v + force * Cos(omega * t);
}

/// <summary>
/// A second-order neural ODE (Norcliffe et al. 2020) on a 2-D position whose velocity is latent (not observed), plus a
/// scalar position with a known restoring force and a learned drag: two positions, so the accelerations are a tuple.
/// </summary>
[OdeModel]
public partial class SecondOrderNode
{
    [State(Size = 2)] Vec x;
    [State] double z;
    [Velocity(nameof(x), Latent = true)] Vec v;
    [Velocity(nameof(z))] double w;
    [Learnable] double drag = 0.1;

    [Neural(16, Activation = Activation.Tanh, OutputSize = 2)]
    private partial Vec Field(Vec x, Vec v);

    [Accelerations]
    (Vec x, double z) Accelerations() => (Field(x, v), -z - drag * w * Abs(w));
}

/// <summary>
/// x'' = −k x with the velocity latent: only x is observed, so training and prediction start from an estimated x'(t₀)
/// (for the Trainer's data and encoder initialisations).
/// </summary>
[OdeModel]
public partial class LatentOscillator
{
    [State] double x;
    [Velocity(nameof(x), Latent = true)] double v;
    [Learnable] double k = 1.69;

    [Accelerations]
    double Acceleration() => -k * x;
}
