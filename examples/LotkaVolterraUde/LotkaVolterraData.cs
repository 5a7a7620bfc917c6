using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using static TorchSharp.torch;

namespace LotkaVolterraUde;

/// <summary>The experiment's data: the true trajectory and a noisy, sparse observation of its start.</summary>
public static class LotkaVolterraData
{
    /// <summary>Initial state of Rackauckas et al. (2020).</summary>
    public static readonly double[] InitialState = [0.44249296, 4.6280594];
    /// <summary>Names of the observed states.</summary>
    public static readonly string[] StateNames = ["prey", "predator"];

    /// <summary>Evenly spaced times <c>start, start + step, …, end</c> (rounded so that the end is included).</summary>
    public static double[] Grid(double end, double step)
    {
        int n = (int)System.Math.Round(end / step);
        return Enumerable.Range(0, n + 1).Select(i => i * step).ToArray();
    }

    /// <summary>The true solution <c>[T, 2]</c> at <paramref name="times"/> (times[0] = 0), solved by DOP853 at rtol 1e-12.</summary>
    public static double[,] Truth(double[] times)
    {
        var system = new LotkaVolterraTruth(ModelOptions.Float64());
        return Solutions.Integrate(system, InitialState, times, Solvers.Dopri8,
            new SolverOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 });
    }

    /// <summary>
    /// The truth at <paramref name="times"/> plus Gaussian noise whose standard deviation is
    /// <paramref name="noiseFraction"/> of each state's mean over those times (seeded).
    /// </summary>
    public static TrajectoryDataset Noisy(double[] times, double noiseFraction, long seed)
    {
        var truth = Truth(times);
        int t = times.Length;
        var rng = new SeededRandom(seed);
        var noisy = new double[t, 2];
        for (int j = 0; j < 2; j++)
        {
            double mean = Enumerable.Range(0, t).Average(i => truth[i, j]);
            for (int i = 0; i < t; i++) noisy[i, j] = truth[i, j] + noiseFraction * mean * rng.NextGaussian();
        }
        return TrajectoryDataset.Single(times, noisy, StateNames, "lotka-volterra");
    }
}
