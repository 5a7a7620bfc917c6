using NodeDsl;

namespace NodeDsl.Examples.Tests.Docs;

// The models of docs/training.md, "Your own data".

/// <summary>A damped oscillator whose frequency ω is learned; the damping ratio ζ comes with each trajectory.</summary>
[OdeModel]
public partial class Oscillator
{
    [State] double x, v;
    [Input] double zeta;
    [Learnable] double omega = 1.0;

    [Rates]
    (double x, double v) Rhs() => (v, -2 * zeta * omega * v - omega * omega * x);
}

/// <summary>The same oscillator with the true ω = 2, used to make synthetic data.</summary>
[OdeModel]
public partial class OscillatorTruth
{
    [State] double x, v;
    [Input] double zeta;
    [Constant] double omega = 2.0;

    [Rates]
    (double x, double v) Rhs() => (v, -2 * zeta * omega * v - omega * omega * x);
}
