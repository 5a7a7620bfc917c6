using NodeDsl;
using static NodeDsl.DslMath;

namespace NodeDsl.Models.Tests.Models;

/// <summary>Augmented neural ODE (Dupont et al., 2019): 3 zero-initialised extra dimensions evolve with the observed 2.</summary>
[OdeModel]
public partial class AugmentedSpiral
{
    [State(Size = 2)] Vec h = Vec.Zeros(2);
    [Augmented(3)] Vec a;
    [Learnable] double decay = 0.1;

    [Neural(32, Activation = Activation.Relu)]   // output width = input width (5)
    private partial Vec Field(Vec h, Vec a);

    [Rates]
    (Vec h, Vec a) Rhs()
    {
        var z = Field(h, a);
        return (z[0..2] - decay * h, Tanh(z[2..]) - decay * a);
    }
}
