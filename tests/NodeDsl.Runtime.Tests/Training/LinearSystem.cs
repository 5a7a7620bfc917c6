using NodeDsl.Runtime.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>dz/dt = A z with a learnable 2×2 (or n×n) A, batched over rows: z Aᵀ.</summary>
internal sealed class LinearRates : nn.Module, IOdeSystem
{
    public LinearRates(double[,] initial, string parameterName = "A") : base("linear")
    {
        int n = initial.GetLength(0);
        var flat = initial.Cast<double>().ToArray();
        Matrix = new Parameter(tensor(flat, [n, n], ScalarType.Float64));
        register_parameter(parameterName, Matrix);
    }

    public Parameter Matrix { get; }

    public Tensor Rates(Tensor t, Tensor y) => y.matmul(Matrix.t());

    public double[] Values() => Matrix.detach().data<double>().ToArray();
}

/// <summary>The system-identification problem of the classic demo, with an exact solution.</summary>
internal static class LinearData
{
    /// <summary>A = −0.1·I + [[0, −1], [1, 0]]: a damped rotation.</summary>
    public static readonly double[,] TrueA = { { -0.1, -1.0 }, { 1.0, -0.1 } };

    /// <summary>z(t) = e^{−0.1 t} R(t) z0, the exact solution for <see cref="TrueA"/>.</summary>
    public static (double X, double Y) Exact(double t, double x0, double y0)
    {
        double d = Math.Exp(-0.1 * t), c = Math.Cos(t), s = Math.Sin(t);
        return (d * (c * x0 - s * y0), d * (s * x0 + c * y0));
    }

    /// <summary>One trajectory from (0.6, 0.3) at <paramref name="points"/> even times on [0, <paramref name="end"/>].</summary>
    public static TrajectoryDataset Dataset(int points = 40, double end = 10.0, double x0 = 0.6, double y0 = 0.3, string id = "0")
    {
        var times = Enumerable.Range(0, points).Select(i => end * i / (points - 1)).ToArray();
        var values = new double[points, 2];
        for (int i = 0; i < points; i++) (values[i, 0], values[i, 1]) = Exact(times[i], x0, y0);
        return TrajectoryDataset.Single(times, values, ["x", "y"], id);
    }
}
