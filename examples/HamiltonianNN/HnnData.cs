using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace HamiltonianNN;

/// <summary>
/// Derivative-matching data as in Greydanus et al.'s <c>data.py</c>: trajectories of the true system from random initial
/// states, noisy (q, p) as inputs, the clean time derivatives f(q, p) along the true trajectory as targets.
/// </summary>
/// <param name="TrainX">Noisy states of the training trajectories, <c>[trainPoints, 2]</c>.</param>
/// <param name="TrainDx">Clean derivatives at those points.</param>
/// <param name="TestX">Noisy states of the test trajectories.</param>
/// <param name="TestDx">Clean derivatives at those points.</param>
/// <param name="TestInitialStates">Clean initial states of the test trajectories, <c>[testTrajectories, 2]</c>.</param>
/// <param name="TrainClean">Clean training trajectories, <c>[points, trainTrajectories, 2]</c> (for plots).</param>
public sealed record HnnData(Tensor TrainX, Tensor TrainDx, Tensor TestX, Tensor TestDx, Tensor TestInitialStates, Tensor TrainClean)
{
    /// <summary>Makes the data of <paramref name="task"/> (float64, CPU; the tensors live outside any dispose scope).</summary>
    public static HnnData Make(HamiltonianTask task, HnnOptions options)
    {
        using var scope = NewDisposeScope();
        var rng = new SeededRandom(options.Seed);
        int n = options.Trajectories, train = n / 2;
        var y0 = new double[n * 2];
        for (int i = 0; i < n; i++)
        {
            // Greydanus: y0 = U(−1, 1)², rescaled to a radius drawn uniformly from the task's range.
            double q = rng.NextDouble(-1, 1), p = rng.NextDouble(-1, 1);
            double radius = rng.NextDouble(task.MinRadius, task.MaxRadius), norm = System.Math.Sqrt(q * q + p * p);
            (y0[2 * i], y0[2 * i + 1]) = (q / norm * radius, p / norm * radius);
        }
        var initial = tensor(y0, [n, 2], ScalarType.Float64);
        var times = linspace(0, options.DataEnd, options.PointsPerTrajectory, dtype: ScalarType.Float64);
        // Greydanus integrates with rtol 1e-10; DOP853 at that tolerance is exact to plotting and training accuracy.
        var clean = Ode.Solve(task.Truth, initial, times, Solvers.Dopri8, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 }).Ys;
        var derivatives = task.Truth.Rates(tensor(0.0, ScalarType.Float64), clean.reshape(-1, 2)).reshape(clean.shape);
        var noise = Gaussian(rng, clean.shape, options.Noise);
        var noisy = clean.add(noise);

        // Points of the first half of the trajectories train, the second half test ([points, trajectories, 2] → rows).
        Tensor Rows(Tensor x, int from, int count) => x.narrow(1, from, count).transpose(0, 1).reshape(-1, 2).contiguous();
        int test = System.Math.Min(n - train, options.RolloutStates);
        var data = new HnnData(Rows(noisy, 0, train), Rows(derivatives, 0, train), Rows(noisy, train, n - train), Rows(derivatives, train, n - train),
            initial.narrow(0, train, test).contiguous(), clean.narrow(1, 0, train).contiguous());
        foreach (var t in new[] { data.TrainX, data.TrainDx, data.TestX, data.TestDx, data.TestInitialStates, data.TrainClean }) t.MoveToOuterDisposeScope();
        return data;
    }

    static Tensor Gaussian(SeededRandom rng, long[] shape, double sigma)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var values = new double[count];
        for (long i = 0; i < count; i++) values[i] = sigma * rng.NextGaussian();
        return tensor(values, shape, ScalarType.Float64);
    }

    /// <summary>Converts the training and test tensors to <paramref name="dtype"/>.</summary>
    public (Tensor TrainX, Tensor TrainDx, Tensor TestX, Tensor TestDx) As(ScalarType dtype)
        => (TrainX.to(dtype), TrainDx.to(dtype), TestX.to(dtype), TestDx.to(dtype));
}
