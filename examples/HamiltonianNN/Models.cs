using NodeDsl;
using static NodeDsl.DslMath;

namespace HamiltonianNN;

/// <summary>The ideal mass–spring (m = k = 1): H = q²/2 + p²/2 (Greydanus et al. 2019, task 1).</summary>
[HamiltonianModel]
public partial class IdealSpring
{
    [Coordinate] double q;
    [Momentum] double p;

    [Energy]
    double H => q * q / 2 + p * p / 2;
}

/// <summary>The ideal pendulum (m = l = 1, g = 3): H = 2mgl(1 − cos q) + l²p²/(2m) = 6(1 − cos q) + p²/2 (task 2).</summary>
[HamiltonianModel]
public partial class IdealPendulum
{
    [Coordinate] double q;
    [Momentum] double p;
    [Constant] const double G = 3.0;

    [Energy]
    double H => 2 * G * (1 - Cos(q)) + p * p / 2;
}

/// <summary>
/// The Hamiltonian neural network: the energy is a 2→200→200→1 tanh perceptron of (q, p); the generator derives
/// q' = ∂H/∂p, p' = −∂H/∂q from it, so the learned field conserves its own learned energy exactly.
/// </summary>
[HamiltonianModel]
public partial class Hnn
{
    [Coordinate] double q;
    [Momentum] double p;

    [Neural(200, 200, Activation = Activation.Tanh)]
    private partial double Net(double q, double p);

    [Energy]
    double H => Net(q, p);
}

/// <summary>The baseline: a perceptron of the same size, 2→200→200→2, that predicts (q', p') directly.</summary>
[OdeModel]
public partial class BaselineNet
{
    [State] double q, p;

    [Neural(200, 200, Activation = Activation.Tanh)]
    private partial (double dq, double dp) Net(double q, double p);

    [Rates]
    (double q, double p) Rhs()
    {
        var d = Net(q, p);
        return (d.dq, d.dp);
    }
}
