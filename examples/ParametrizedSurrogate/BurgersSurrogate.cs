using NodeDsl;

namespace ParametrizedSurrogate;

/// <summary>
/// The parametrised neural ODE <c>du/dt = f(u; μ)</c> on the grid: one conditioned convolution block, the viscosity
/// μ = ν supplied per trajectory (<c>[Input]</c>) and scaled to order one before it enters the network.
/// </summary>
[OdeModel]
public partial class BurgersSurrogate
{
    /// <summary>Grid points.</summary>
    public const int GridSize = BurgersEquation.GridSize;
    /// <summary>Typical viscosity: the network sees μ / this.</summary>
    public const double ViscosityScale = 0.1;

    [State(Size = GridSize)] Vec u = Vec.Zeros(GridSize);
    [Input] double mu;

    [Neural(typeof(ConditionedConvBlock), OutputSize = GridSize)]
    private partial Vec Block(Vec u, double mu);

    [Rates]
    Vec Rhs() => Block(u, mu / ViscosityScale);
}
