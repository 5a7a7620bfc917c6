using NodeDsl;

namespace NodeDsl.Models.Tests.Models;

/// <summary>Van der Pol with μ = 1000 (Hairer &amp; Wanner IV.1): x' = v, v' = μ(1 − x²)v − x; stiff, Jacobian eigenvalue ≈ −μ(x² − 1).</summary>
[OdeModel]
public partial class StiffVanDerPol
{
    [State] double x, v;
    [Constant] double mu = 1000;

    [Rates]
    (double x, double v) Rhs() => (v, mu * (1 - x * x) * v - x);
}

/// <summary>A stiff UDE: a damped oscillator with eigenvalues ≈ −0.1 and −1000 plus a learned forcing, x' = v, v' = −1000 v − 100 x + MLP(x, v).</summary>
[OdeModel]
public partial class StiffUde
{
    [State] double x, v;
    [Learnable] double damping = 1000;

    [Neural(16, Activation = Activation.Tanh)]
    private partial double Forcing(double x, double v);

    [Rates]
    (double x, double v) Rhs() => (v, -damping * v - 100 * x + 50 * Forcing(x, v));
}
