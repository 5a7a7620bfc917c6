using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Ensembles;

/// <summary>
/// M neural ODEs <c>dy/dt = f_j(y)</c> (one <see cref="EnsembleMlp"/> member each) as one system over
/// <c>[M·B, n]</c> member-major rows, so one solve advances the whole ensemble. Rows never interact: with a fixed-step
/// solver or <see cref="ErrorNorm.PerTrajectory"/> each member's solution is the one it would have alone.
/// </summary>
public sealed class EnsembleNeuralOde : nn.Module<Tensor, Tensor>, IOdeSystem
{
    readonly EnsembleMlp network;

    /// <summary>Creates M members with state size n and the given hidden widths.</summary>
    public EnsembleNeuralOde(int members, int stateSize, IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh,
        ScalarType dtype = ScalarType.Float32, Device? device = null) : base(nameof(EnsembleNeuralOde))
    {
        network = new EnsembleMlp(members, stateSize, hiddenSizes, stateSize, activation, dtype, device, "network");
        register_module("network", network);
    }

    /// <summary>The batched network.</summary>
    public EnsembleMlp Network => network;
    /// <summary>M, the number of members.</summary>
    public int Members => network.Members;
    /// <summary>n, a member's state size.</summary>
    public int StateSize => network.InputSize;

    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y) => network.forward(y);

    /// <summary>The rates at <c>y</c> <c>[M·B, n]</c>.</summary>
    public override Tensor forward(Tensor y) => network.forward(y);
}
