using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Export;

/// <summary>
/// x' = v, v' = −k·x + net(x, v, mu): a learnable scalar, a two-layer network and one input, written as a generated
/// model would be. The constructor's switches change its structure for the mismatch tests.
/// </summary>
internal sealed class TinyOscillator : OdeModel
{
    static readonly ModelLayout TinyLayout = new(
        [new StateInfo("x", 0, 1, StateKind.State), new StateInfo("v", 1, 1, StateKind.State)],
        [new InputInfo("mu", 0, 1)], [new ParameterInfo("k", 0.5)], [new NetworkInfo("net", 3, 1, "3→hidden→1 tanh")]);

    readonly nn.Module<Tensor, Tensor> net;

    public TinyOscillator(long seed = 0, int hidden = 4, string netName = "net", ScalarType dtype = ScalarType.Float64, bool extra = false)
        : base("tiny", TinyLayout, new ModelOptions { DType = dtype, Seed = seed })
    {
        AddParameter("k", 0.5 + 0.1 * seed);
        net = AddModule(netName, 0, () => nn.Sequential(nn.Linear(3, hidden), nn.Tanh(), nn.Linear(hidden, 1)));
        if (extra) AddParameter("bias", 0.0);
    }

    /// <summary>Host copies of every parameter's bytes, by name.</summary>
    public Dictionary<string, byte[]> Snapshot()
        => state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous().bytes.ToArray());

    public override Tensor Rates(Tensor t, Tensor y)
    {
        CheckState(y);
        var x = y.narrow(1, 0, 1);
        var v = y.narrow(1, 1, 1);
        var u = net.forward(cat([y, InputColumns(y.shape[0])], 1));
        return cat([v, -Learnable(0) * x + u], 1);
    }

    public override double[] ScalarRates(double t, double[] y, double[]? inputs = null)
    {
        CheckScalarArguments(y, inputs);
        using var scope = NewDisposeScope();
        var row = tensor(new[] { y[0], y[1] }, [1, 2], ScalarType.Float64).to(DType);
        var saved = Inputs;
        Inputs = tensor(inputs!, [1, 1], ScalarType.Float64).to(DType);
        try { return Rates(tensor(t), row).to(ScalarType.Float64).data<double>().ToArray(); }
        finally { Inputs = saved; }
    }
}
