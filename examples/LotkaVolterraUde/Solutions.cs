using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace LotkaVolterraUde;

/// <summary>Host-side helpers around <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?)"/> for one trajectory.</summary>
public static class Solutions
{
    /// <summary>Solves <paramref name="system"/> (float64) from <paramref name="y0"/> without gradients; <c>[T, n]</c> on the host.</summary>
    public static double[,] Integrate(IOdeSystem system, double[] y0, double[] times, IOdeSolver solver, SolverOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var start = tensor(y0, 1, y0.Length, dtype: ScalarType.Float64);
        var ts = tensor(times, dtype: ScalarType.Float64);
        var ys = Ode.Solve(system, start, ts, solver, options).Ys.select(1, 0).contiguous().cpu();
        return ToMatrix(ys.data<double>().ToArray(), times.Length, y0.Length);
    }

    /// <summary>The rates of <paramref name="system"/> at t = 0 for every row of <paramref name="states"/> (<c>[N, n]</c>), in one batched call.</summary>
    public static double[,] Rates(IOdeSystem system, double[,] states)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int n = states.GetLength(0), m = states.GetLength(1);
        var y = tensor(states.Cast<double>().ToArray(), n, m, dtype: ScalarType.Float64);
        var f = system.Rates(tensor(0.0, dtype: ScalarType.Float64), y).contiguous().cpu();
        return ToMatrix(f.data<double>().ToArray(), n, m);
    }

    /// <summary>Column <paramref name="j"/> of a matrix.</summary>
    public static double[] Column(double[,] values, int j)
        => Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, j]).ToArray();

    static double[,] ToMatrix(double[] flat, int rows, int columns)
    {
        var result = new double[rows, columns];
        Buffer.BlockCopy(flat, 0, result, 0, rows * columns * sizeof(double));
        return result;
    }
}
