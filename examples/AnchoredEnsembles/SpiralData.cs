using NodeDsl.Runtime.Data;

namespace AnchoredEnsembles;

/// <summary>
/// The damped spiral <c>dy/dt = A y</c>, <c>A = [[−0.1, −1], [1, −0.1]]</c>, from <c>(2, 0)</c>: exactly
/// <c>y(t) = 2e^{−0.1t} (cos t, sin t)</c>, observed with Gaussian noise.
/// </summary>
public static class SpiralData
{
    /// <summary>The true initial state (known to the forecasts, as the inputs of Pearce et al.'s regressions are).</summary>
    public static readonly double[] InitialState = [2.0, 0.0];
    /// <summary>Names of the two states.</summary>
    public static readonly string[] StateNames = ["x", "y"];

    /// <summary>The noise-free state <c>[T, 2]</c> at <paramref name="times"/>.</summary>
    public static double[,] Truth(double[] times)
    {
        var values = new double[times.Length, 2];
        for (int i = 0; i < times.Length; i++)
        {
            double r = 2.0 * System.Math.Exp(-0.1 * times[i]);
            (values[i, 0], values[i, 1]) = (r * System.Math.Cos(times[i]), r * System.Math.Sin(times[i]));
        }
        return values;
    }

    /// <summary>The truth plus independent N(0, σ²) noise on every entry.</summary>
    public static double[,] Noisy(double[] times, double sigma, SeededRandom random)
    {
        var values = Truth(times);
        for (int i = 0; i < times.Length; i++)
            for (int k = 0; k < 2; k++) values[i, k] += sigma * random.NextGaussian();
        return values;
    }

    /// <summary><c>start + step·i</c> for i = 0 … count − 1.</summary>
    public static double[] Grid(double start, double step, int count) => Enumerable.Range(0, count).Select(i => start + step * i).ToArray();
}
