using NodeDsl;

namespace LatentOdeSpirals;

/// <summary>
/// The latent dynamics of Chen et al.'s spiral experiment (2018, §5): dz/dt = f(z) on a 4-dimensional latent state, f a
/// perceptron 4 → 20 → 20 → 4. Chen et al. use ELU; the DSL's smooth choice here is tanh.
/// </summary>
[OdeModel]
public partial class SpiralLatentDynamics
{
    [State(Size = 4)] Vec z;

    [Neural(20, 20, Activation = Activation.Tanh, OutputSize = 4)]
    private partial Vec Field(Vec z);

    [Rates]
    Vec Rhs() => Field(z);
}
