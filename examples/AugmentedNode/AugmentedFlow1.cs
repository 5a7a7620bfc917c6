using NodeDsl;

namespace AugmentedNode;

/// <summary>
/// Augmented neural ODE (Dupont et al. 2019), p = 1: the state (x, a) ∈ ℝ²⁺¹ starts at (x, 0) and evolves with a
/// ReLU perceptron [t, x, a] → 32 → 32 → 3. The extra dimension lets the flow lift the inner disc over the annulus.
/// </summary>
[OdeModel]
public partial class AugmentedFlow1
{
    [State(Size = 2)] Vec x;
    [Augmented(1)] Vec a;
    [Time] double t;

    [Neural(32, 32, Activation = Activation.Relu, OutputSize = 3)]
    private partial Vec Field(double t, Vec x, Vec a);

    [Rates]
    (Vec x, Vec a) Rhs()
    {
        var z = Field(t, x, a);
        return (z[0..2], z[2..]);
    }
}
