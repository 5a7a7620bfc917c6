using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Sequences;

/// <summary>dz/dt = tanh(W z + b) on a 3-dimensional latent state, written as a generated model would be.</summary>
internal sealed class TanhLatent : OdeModel
{
    static readonly ModelLayout LatentLayout = new(
        [new StateInfo("z", 0, 3, StateKind.State)], [], [], [new NetworkInfo("field", 3, 3, "3→3 tanh")]);

    readonly nn.Module<Tensor, Tensor> field;

    public TanhLatent(long seed = 0) : base("latent", LatentLayout, new ModelOptions { DType = ScalarType.Float64, Seed = seed })
        => field = AddModule("field", 0, () => nn.Sequential(nn.Linear(3, 3), nn.Tanh()));

    public override Tensor Rates(Tensor t, Tensor y)
    {
        CheckState(y);
        return field.forward(y);
    }

    public override double[] ScalarRates(double t, double[] y, double[]? inputs = null)
    {
        CheckScalarArguments(y, inputs);
        using var scope = NewDisposeScope();
        return Rates(tensor(t), tensor(y, [1, 3])).data<double>().ToArray();
    }
}

/// <summary>Small irregular 2-D data sets for the sequence tests.</summary>
internal static class LatentTestData
{
    /// <summary><paramref name="rows"/> trajectories of 2–5 points at random times in (0, 2], values sin/cos of the time plus a row offset.</summary>
    public static TrajectoryDataset Irregular(int rows, long seed)
    {
        var random = new SeededRandom(seed);
        var times = new List<double[]>();
        var values = new List<double[,]>();
        for (int r = 0; r < rows; r++)
        {
            int length = 2 + random.NextInt(4);
            var t = Enumerable.Range(0, length).Select(_ => random.NextDouble(0.05, 2.0)).Order().ToArray();
            var v = new double[length, 2];
            for (int k = 0; k < length; k++) (v[k, 0], v[k, 1]) = (Math.Sin(t[k]) + 0.1 * r, Math.Cos(t[k]) - 0.1 * r);
            times.Add(t);
            values.Add(v);
        }
        return TrajectoryDataset.FromArrays(["x", "y"], times, values);
    }
}
