using NodeDsl.Runtime.Data;

namespace LatentOdeSpirals;

/// <summary>
/// Chen et al.'s (2018, §5; torchdiffeq <c>examples/latent_ode.py</c>) spirals: an Archimedean spiral turning
/// counter-clockwise, <c>r = b·θ</c> centred at (5, 0), and a clockwise one, <c>r = 50 b / θ'</c> with
/// <c>θ' = 6π + 1 − θ</c>, centred at (−5, 0); <c>θ ∈ [0, 6π]</c> on a grid of 1000 points, b = 0.3. Each trajectory starts at
/// a random grid point (not too close to either end), half of them clockwise, and is observed at
/// <see cref="SpiralSet.Observed"/> of its first 100 sample times, chosen at random without replacement (irregular,
/// different for every trajectory), with Gaussian noise. The next 100 sample times are for extrapolation.
/// </summary>
public static class SpiralData
{
    /// <summary>Points of the underlying θ grid.</summary>
    public const int GridPoints = 1000;
    /// <summary>Sample times of the observation window (interpolation), as in Chen et al.</summary>
    public const int WindowPoints = 100;
    /// <summary>θ step of the grid, 6π / 999 ≈ 0.0189; the time step between sample times.</summary>
    public static readonly double Step = 6 * Math.PI / (GridPoints - 1);
    const double B = 0.3;

    /// <summary>Noise-free position on the (counter-)clockwise spiral at grid parameter θ.</summary>
    public static (double X, double Y) Truth(bool counterClockwise, double theta)
    {
        if (counterClockwise)
        {
            double r = B * theta;
            return (r * Math.Cos(theta) + 5, r * Math.Sin(theta));
        }
        double z = 6 * Math.PI + 1 - theta, rc = 50 * B / z;
        return (rc * Math.Cos(z) - 5, rc * Math.Sin(z));
    }

    /// <summary>
    /// <paramref name="count"/> trajectories with <paramref name="observed"/> noisy observations each (σ =
    /// <paramref name="noiseStd"/>) and noise-free truth at 2 × <see cref="WindowPoints"/> sample times from the start.
    /// </summary>
    public static SpiralSet Generate(int count, int observed, double noiseStd, long seed)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "Generate at least two spirals.");
        if (observed < 2 || observed > WindowPoints)
            throw new ArgumentOutOfRangeException(nameof(observed), observed, $"Observe between 2 and {WindowPoints} of the window's sample times.");
        var random = new SeededRandom(seed);
        var times = new List<double[]>();
        var values = new List<double[,]>();
        var truth = new double[count][,];
        var clockwise = new bool[count];
        var sampleTimes = Enumerable.Range(0, 2 * WindowPoints).Select(k => k * Step).ToArray();
        for (int i = 0; i < count; i++)
        {
            // Start index in [100, 800]: the 200 sample times from it stay on the grid (Chen et al. draw from [100, 900) for 100).
            int start = random.NextInt(WindowPoints, GridPoints - 2 * WindowPoints);
            bool counterClockwise = random.NextDouble() > 0.5;
            clockwise[i] = !counterClockwise;
            truth[i] = new double[sampleTimes.Length, 2];
            for (int k = 0; k < sampleTimes.Length; k++)
                (truth[i][k, 0], truth[i][k, 1]) = Truth(counterClockwise, (start + k) * Step);
            var picked = Enumerable.Range(0, WindowPoints).ToArray();
            random.Shuffle(picked);
            var ks = picked.Take(observed).Order().ToArray();
            times.Add(ks.Select(k => sampleTimes[k]).ToArray());
            var v = new double[observed, 2];
            for (int k = 0; k < observed; k++)
                for (int j = 0; j < 2; j++) v[k, j] = truth[i][ks[k], j] + noiseStd * random.NextGaussian();
            values.Add(v);
        }
        return new SpiralSet(TrajectoryDataset.FromArrays(["x", "y"], times, values), sampleTimes, truth, clockwise);
    }
}

/// <summary>Generated spirals.</summary>
/// <param name="Observed">The noisy, irregular observations (what the models see), times from the trajectory's start.</param>
/// <param name="SampleTimes">The 200 regular sample times: the first 100 span the observation window, the rest are for extrapolation.</param>
/// <param name="Truth">Noise-free positions at <paramref name="SampleTimes"/>, <c>[trajectory][time, 2]</c>.</param>
/// <param name="Clockwise">Direction of each trajectory.</param>
public sealed record SpiralSet(TrajectoryDataset Observed, double[] SampleTimes, double[][,] Truth, bool[] Clockwise)
{
    /// <summary>Number of trajectories.</summary>
    public int Count => Truth.Length;
}
