using NodeDsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Models;

/// <summary>A 1-D convolution block over a grid: <c>[batch, n]</c> → <c>[batch, n]</c> (a user-written TorchSharp module).</summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    readonly Conv1d first;
    readonly Conv1d second;

    public ConvBlock() : base(nameof(ConvBlock))
    {
        first = nn.Conv1d(1, 4, 3, padding: 1);
        second = nn.Conv1d(4, 1, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
        => second.forward(first.forward(input.unsqueeze(1)).tanh()).squeeze(1);
}

/// <summary>A small potential network as a custom module (its input gradient goes through autograd).</summary>
public sealed class PotentialNet : nn.Module<Tensor, Tensor>
{
    readonly Linear hidden;
    readonly Linear output;

    public PotentialNet() : base(nameof(PotentialNet))
    {
        hidden = nn.Linear(1, 16);
        output = nn.Linear(16, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => output.forward(hidden.forward(input).tanh());
}

/// <summary>Reaction–diffusion-like field on a 32-point grid: a learned convolution plus known linear decay.</summary>
[OdeModel]
public partial class ConvField
{
    public const int GridSize = 32;

    [State(Size = GridSize)] Vec u = Vec.Zeros(GridSize);
    [Constant] double nu = 0.1;

    [Neural(typeof(ConvBlock), OutputSize = GridSize)]
    private partial Vec Block(Vec u);

    [Rates]
    Vec Rhs() => Block(u) - nu * u;
}

/// <summary>Hamiltonian with a custom-module potential: the generator differentiates it by autograd.</summary>
[HamiltonianModel]
public partial class CustomPotentialPendulum
{
    [Coordinate] double q;
    [Momentum] double p;

    [Neural(typeof(PotentialNet))]
    private partial double U(double q);

    [Energy]
    double H => p * p / 2 + U(q) + q * q / 4;
}
