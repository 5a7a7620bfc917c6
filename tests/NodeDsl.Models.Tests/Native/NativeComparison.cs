using System.Numerics;
using NodeDsl.Numerics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// Evaluates a model's native kernels and its generated TorchSharp <c>Rates</c>/<c>Vjp</c> at the same random point (state,
/// cotangent, time, inputs and parameters — the parameters written through <see cref="INativeKernels.WriteParameters{T}"/>)
/// and returns the largest relative error over every result.
/// </summary>
internal static class NativeComparison
{
    /// <summary>One comparison: batch size, time per row or shared, inputs per row or one shared row.</summary>
    public sealed record Point(int Batch, bool PerRowTime, bool SharedInputs, int Seed);

    /// <summary>The worst error and the name of the result it occurred in.</summary>
    public sealed record Outcome(double Worst, string Where);

    public static Outcome Compare<T>(OdeModel model, Point point) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var native = Assert.IsAssignableFrom<INativeKernels>(model);
        var layout = native.KernelLayout;
        var dtype = typeof(T) == typeof(float) ? ScalarType.Float32 : ScalarType.Float64;
        var rng = new Random(point.Seed);
        int batch = point.Batch, n = layout.StateSize, k = layout.InputSize;
        // Random parameters: learnables in [-1, 1], weights at the scale of torch's default init (±1/√fan_in ≈ ±0.7 for 2 inputs).
        var theta = Sample(rng, layout.ParameterCount, 0.7);
        native.WriteParameters<double>(theta);
        var y = Sample(rng, batch * n, 1.5);
        var a = Sample(rng, batch * n, 1.0);
        var t = Sample(rng, point.PerRowTime ? batch : 1, 3.0);
        var inputs = Sample(rng, k == 0 ? 0 : (point.SharedInputs ? 1 : batch) * k, 1.0);

        using var scope = NewDisposeScope();
        var tt = point.PerRowTime ? torch.tensor(t, new long[] { batch, 1 }, dtype) : torch.tensor(t[0], dtype);
        var yt = torch.tensor(y, new long[] { batch, n }, dtype);
        var at = torch.tensor(a, new long[] { batch, n }, dtype);
        model.Inputs = k == 0 ? null : torch.tensor(inputs, new long[] { inputs.Length / k, k }, dtype).requires_grad_(true);
        var expected = ((IRatesVjp)model).Vjp(tt, yt, at, withTime: true);
        Tensor rates;
        using (torch.no_grad()) rates = model.Rates(tt, yt);

        var kernel = native.CreateKernel<T>();
        var workspace = kernel.CreateWorkspace(batch);
        var thetaT = Convert<T>(theta);
        native.ReadParameters<T>(thetaT); // the parameters as the model now holds them in T
        var f = new T[batch * n];
        kernel.Rates(Convert<T>(t), Convert<T>(y), thetaT, Convert<T>(inputs), f, workspace);
        var fv = new T[batch * n];
        var vjpY = new T[batch * n];
        var vjpTheta = new T[layout.ParameterCount];
        var vjpInputs = new T[inputs.Length];
        var vjpT = new T[t.Length];
        kernel.Vjp(Convert<T>(t), Convert<T>(y), Convert<T>(a), thetaT, Convert<T>(inputs), fv, vjpY, vjpTheta, vjpInputs, vjpT, workspace);

        var worst = new Outcome(0, "");
        worst = Max(worst, "Rates f", f, Values(rates));
        worst = Max(worst, "Vjp f", fv, Values(expected.F));
        worst = Max(worst, "VjpY", vjpY, Values(expected.VjpY));
        for (int i = 0; i < layout.Parameters.Count; i++)
        {
            var block = layout.Parameters[i];
            var reference = expected.VjpParams[i] is { } g ? Values(g) : new double[block.Length];
            worst = Max(worst, "VjpTheta " + block.Name, vjpTheta.AsSpan(block.Offset, block.Length).ToArray(), reference);
        }
        if (k > 0)
            worst = Max(worst, "VjpInputs", vjpInputs, expected.VjpParams[^1] is { } gi ? Values(gi) : new double[inputs.Length]);
        worst = Max(worst, "VjpT", vjpT, expected.VjpT is { } gt ? Values(gt) : new double[t.Length]);
        model.Inputs = null;
        return worst;
    }

    public static double[] Sample(Random rng, int count, double scale)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = scale * (2 * rng.NextDouble() - 1);
        return values;
    }

    static T[] Convert<T>(double[] values) where T : IFloatingPointIeee754<T> => values.Select(T.CreateTruncating).ToArray();

    static double[] Values(Tensor x) => x.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    // max |actual − expected| / max |expected| (absolute where the reference is all zeros), as GeneratedVjpTests measures.
    static Outcome Max<T>(Outcome worst, string what, T[] actual, double[] expected) where T : IFloatingPointIeee754<T>
    {
        Assert.True(actual.Length == expected.Length, $"{what}: {actual.Length} values vs {expected.Length} from TorchSharp");
        double scale = 0, diff = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            scale = System.Math.Max(scale, System.Math.Abs(expected[i]));
            diff = System.Math.Max(diff, System.Math.Abs(double.CreateTruncating(actual[i]) - expected[i]));
        }
        if (double.IsNaN(diff)) diff = double.PositiveInfinity;
        double error = scale == 0 ? diff : diff / scale;
        return error > worst.Worst ? new Outcome(error, what) : worst;
    }
}
