using NodeDsl;

namespace AugmentedNode;

/// <summary>
/// Augmented neural ODE (Dupont et al. 2019), p = 5: the state (x, a) ∈ ℝ²⁺⁵ starts at (x, 0) and evolves with a
/// ReLU perceptron [t, x, a] → 32 → 32 → 7.
/// </summary>
[OdeModel]
public partial class AugmentedFlow5
{
    [State(Size = 2)] Vec x;
    [Augmented(5)] Vec a;
    [Time] double t;

    [Neural(32, 32, Activation = Activation.Relu, OutputSize = 7)]
    private partial Vec Field(double t, Vec x, Vec a);

    [Rates]
    (Vec x, Vec a) Rhs()
    {
        var z = Field(t, x, a);
        return (z[0..2], z[2..]);
    }
}
