using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Workloads;
using static TorchSharp.torch;

namespace SolverComparison;

/// <summary>The true spiral observed at even or irregular times, with and without noise.</summary>
/// <param name="Spacing">How the times are spaced.</param>
/// <param name="Times">Observation times, increasing, starting at 0.</param>
/// <param name="Truth">Noise-free states <c>[T, 2]</c> (what the final MSE is measured against).</param>
/// <param name="Dataset">The noisy observations the models train on.</param>
public sealed record SpiralData(Spacing Spacing, double[] Times, double[,] Truth, TrajectoryDataset Dataset)
{
    /// <summary>Last observation time (the spiral workload's span [0, 25]).</summary>
    public const double EndTime = SpiralWorkload.EndTime;

    /// <summary>Observes the spiral workload (dy/dt = y³A, y0 = (2, 0)) at <paramref name="points"/> times.</summary>
    public static SpiralData Create(Spacing spacing, int points, double noise, long seed)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), $"Need at least 2 observation times, not {points}.");
        var random = new SeededRandom(seed);
        var times = spacing == Spacing.Even ? EvenTimes(points) : IrregularTimes(points, random);
        var truth = Solve(times);
        var noisy = (double[,])truth.Clone();
        for (int i = 0; i < noisy.GetLength(0); i++)
            for (int j = 0; j < 2; j++) noisy[i, j] += noise * random.NextGaussian();
        return new SpiralData(spacing, times, truth, TrajectoryDataset.Single(times, noisy, ["y1", "y2"], $"spiral-{spacing.ToString().ToLowerInvariant()}"));
    }

    /// <summary>
    /// Windows of <paramref name="points"/> consecutive observation times that tile the trajectory (each starts where the
    /// previous ends), with the noise-free truth as values: the test set of the table's MSE (each window starts at the
    /// true state and is scored against the truth). Tiling rather than one window per start keeps the irregular test
    /// batch's merged time grid ~10× smaller at the same coverage.
    /// </summary>
    public TrajectoryDataset TruthWindows(int points)
    {
        if (points < 2 || points > Times.Length) throw new ArgumentOutOfRangeException(nameof(points), $"Need 2 ≤ window points ≤ {Times.Length}, not {points}.");
        var windows = new List<Trajectory>();
        for (int s = 0; s + points <= Times.Length; s += points - 1)
        {
            var values = new double[points, 2];
            for (int k = 0; k < points; k++) { values[k, 0] = Truth[s + k, 0]; values[k, 1] = Truth[s + k, 1]; }
            windows.Add(new Trajectory($"w{s}", Times[s..(s + points)], values));
        }
        return Dataset.With(windows);
    }

    static double[] EvenTimes(int points) => Enumerable.Range(0, points).Select(i => EndTime * i / (points - 1)).ToArray();

    // t = 0 (the known initial state) plus points − 1 uniform draws on (0, 25], sorted: the same count and mean spacing
    // as the even grid. Draws closer than the batch builder can tell apart are redrawn (probability ~1e-10 per pair).
    static double[] IrregularTimes(int points, SeededRandom random)
    {
        var times = new SortedSet<double> { 0.0 };
        while (times.Count < points)
        {
            double t = EndTime * (1 - random.NextDouble());   // (0, 25]
            if (times.GetViewBetween(t - 1e-6, t + 1e-6).Count == 0) times.Add(t);
        }
        return [.. times];
    }

    // The truth from a tight float64 dopri8 solve; its dense output is 7th-order, so irregular times cost no accuracy.
    static double[,] Solve(double[] times)
    {
        using var scope = NewDisposeScope();
        var y0 = SpiralWorkload.InitialState(ScalarType.Float64, CPU);
        var ts = tensor(times, ScalarType.Float64);
        var solution = Ode.Solve(SpiralWorkload.TrueDynamics(ScalarType.Float64, CPU), y0, ts, NodeDsl.Runtime.Solvers.Dopri8,
            new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
        var flat = solution.Ys.squeeze(1).contiguous().data<double>().ToArray();
        var values = new double[times.Length, 2];
        Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(double));
        return values;
    }
}
