using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>
/// <see cref="AugmentedSpiral"/> with a softplus perceptron instead of a ReLU one: the same ANODE with a smooth field, the
/// control case showing that AugmentedSpiral's sensitivity of adaptive solves to rounding comes from the ReLU kinks.
/// </summary>
[OdeModel]
public partial class SmoothAugmentedSpiral
{
    [State(Size = 2)] Vec h = Vec.Zeros(2);
    [Augmented(3)] Vec a;
    [Learnable] double decay = 0.1;

    [Neural(32, Activation = Activation.Softplus)]   // output width = input width (5)
    private partial Vec Field(Vec h, Vec a);

    [Rates]
    (Vec h, Vec a) Rhs()
    {
        var z = Field(h, a);
        return (z[0..2] - decay * h, Tanh(z[2..]) - decay * a);
    }
}
