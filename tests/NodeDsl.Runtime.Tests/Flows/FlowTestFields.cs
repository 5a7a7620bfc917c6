using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Flows;

/// <summary>f(z) = net(z), net a seeded perceptron d → 8 → d (tanh), written as a generated model would be.</summary>
internal sealed class MlpField : OdeModel
{
    readonly nn.Module<Tensor, Tensor> net;

    public MlpField(int dimension, long seed, double scale = 1.0)
        : base("mlp-field", new ModelLayout([new StateInfo("z", 0, dimension, StateKind.State)], [], [], [new NetworkInfo("net", dimension, dimension, "d→8→d tanh")]),
            new ModelOptions { DType = ScalarType.Float64, Seed = seed })
    {
        net = AddModule("net", 0, () => nn.Sequential(nn.Linear(dimension, 8), nn.Tanh(), nn.Linear(8, dimension)));
        using var noGrad = no_grad();
        foreach (var p in net.parameters()) p.mul_(scale);
    }

    public override Tensor Rates(Tensor t, Tensor y)
    {
        CheckState(y);
        return net.forward(y);
    }

    public override double[] ScalarRates(double t, double[] y, double[]? inputs = null)
    {
        CheckScalarArguments(y, inputs);
        using var scope = NewDisposeScope();
        return Rates(tensor(t), tensor(y, [1, y.Length])).data<double>().ToArray();
    }
}

/// <summary>dz/dt = A z with A = [[a, −b], [b, a]]: z(T) = e^{aT} R(bT) z(0), log-det of the flow map T·tr A = 2aT.</summary>
internal sealed class RotationScaling : OdeModel
{
    public RotationScaling(double a, double b)
        : base("rotation-scaling", new ModelLayout([new StateInfo("z", 0, 2, StateKind.State)], [], [new ParameterInfo("a", a), new ParameterInfo("b", b)], []),
            new ModelOptions { DType = ScalarType.Float64 })
    {
        AddParameter("a", a);
        AddParameter("b", b);
    }

    public override Tensor Rates(Tensor t, Tensor y)
    {
        CheckState(y);
        var x = y.narrow(1, 0, 1);
        var v = y.narrow(1, 1, 1);
        return cat([ScalarOps.Sub(Learnable(0) * x, Learnable(1) * v, 1.0), ScalarOps.Add(Learnable(1) * x, Learnable(0) * v, 1.0)], 1);
    }

    public override double[] ScalarRates(double t, double[] y, double[]? inputs = null)
    {
        CheckScalarArguments(y, inputs);
        double a = ScalarValue(Learnable(0)), b = ScalarValue(Learnable(1));
        return [a * y[0] - b * y[1], b * y[0] + a * y[1]];
    }
}
