using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using static TorchSharp.torch;

namespace EcgHeartbeats;

/// <summary>
/// Labelled synthetic heartbeats in the layout of the MIT-BIH heartbeat set (Kachuee et al. 2018): 125 Hz, each beat
/// from its R peak for 1.2 RR (at most <see cref="Samples"/> samples), scaled to [0, 1], zero-padded to 187.
/// </summary>
/// <remarks>
/// All beats of a set are solved at once: <see cref="Ecgsyn"/> with one row of inputs per beat, from θ = −π (x, y, z) =
/// (−1, 0, 0), so that R (θ = 0) comes at t = RR/2, on a shared 1 kHz grid (Dormand–Prince, rtol 1e-6); each beat is read
/// at its own 125 Hz times by linear interpolation on that grid (the narrowest event, the pacing spike, spans ≥ 4 grid
/// points per side). White noise of standard deviation <c>noise</c> is added after scaling.
/// </remarks>
public static class SyntheticBeats
{
    /// <summary>Samples per beat.</summary>
    public const int Samples = 187;
    /// <summary>Sampling rate of the set (Hz).</summary>
    public const double SampleRate = 125;
    const double GridRate = 1000;
    const int Chunk = 500;

    /// <summary>The default class mix: 60 % normal, 10 % of each other class (MIT-BIH has 83 % N and 0.7 % F; see docs/ecg.md).</summary>
    public static IReadOnlyList<double> DefaultShares { get; } = [0.6, 0.1, 0.1, 0.1, 0.1];

    /// <summary><paramref name="count"/> beats drawn with <paramref name="seed"/>, classes in proportion to <paramref name="shares"/>, in random order.</summary>
    public static ClassificationData Generate(int count, long seed, double noise = 0.02, IReadOnlyList<double>? shares = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Generate at least one beat.");
        if (!(noise >= 0)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise level must be at least 0.");
        shares ??= DefaultShares;
        if (shares.Count != BeatClasses.Names.Count || shares.Any(s => !(s >= 0)) || !(shares.Sum() > 0))
            throw new ArgumentException($"Give {BeatClasses.Names.Count} non-negative class shares, not [{string.Join(", ", shares)}].", nameof(shares));
        var rng = new Random(unchecked((int)seed) ^ 0x5EC6);
        var labels = Labels(count, shares, rng);
        var beats = labels.Select(l => BeatClasses.Draw(l, rng)).ToArray();
        var samples = new float[count * Samples];
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var chunk = Traces(beats.AsSpan(start, n).ToArray());
            for (int i = 0; i < n; i++)
            {
                var row = chunk[i];
                double min = row.Min(), max = row.Max();
                for (int k = 0; k < row.Length; k++)
                    samples[(start + i) * Samples + k] = (float)((row[k] - min) / (max - min) + noise * Gaussian(rng));
            }
        }
        return new ClassificationData(tensor(samples, [count, 1, Samples]), labels.Select(l => (long)l).ToArray(), BeatClasses.Names);
    }

    /// <summary>
    /// The noiseless ECG z of each beat at 125 Hz from its R peak, 1.2 RR long (at most <see cref="Samples"/> values).
    /// </summary>
    public static double[][] Traces(IReadOnlyList<BeatParameters> beats)
    {
        ArgumentNullException.ThrowIfNull(beats);
        double end = beats.Max(b => b.RR / 2 + Math.Min(1.2 * b.RR, Samples / SampleRate));
        int points = (int)Math.Ceiling(end * GridRate) + 2;
        using var scope = NewDisposeScope();
        var (grid, z) = Solve(beats, points);
        var traces = new double[beats.Count][];
        for (int i = 0; i < beats.Count; i++)
        {
            var b = beats[i];
            int length = Math.Min(Samples, (int)Math.Round(1.2 * b.RR * SampleRate));
            traces[i] = new double[length];
            for (int k = 0; k < length; k++)
            {
                double t = b.RR / 2 + k / SampleRate;
                double position = t * GridRate;
                int j = Math.Min((int)position, points - 2);
                double w = position - j;
                traces[i][k] = (1 - w) * z[j, i] + w * z[j + 1, i];
            }
        }
        return traces;
    }

    /// <summary>Solves all beats on the shared grid t = j / 1000 s, j = 0 … points − 1; returns the grid and z[j, beat].</summary>
    public static (double[] Grid, double[,] Z) Solve(IReadOnlyList<BeatParameters> beats, int points)
    {
        var model = new Ecgsyn(ModelOptions.Float64());
        model.Inputs = InputRows(model, beats);
        var y0 = tensor(Enumerable.Range(0, beats.Count).SelectMany(_ => new[] { -1.0, 0.0, 0.0 }).ToArray(), [beats.Count, 3], ScalarType.Float64);
        var ts = arange(points, dtype: ScalarType.Float64) / GridRate;
        using var noGrad = no_grad();
        var ys = Ode.Solve(model, y0, ts, Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8 }).Ys;
        var zs = ys.select(2, 2).contiguous().data<double>().ToArray();
        var z = new double[points, beats.Count];
        Buffer.BlockCopy(zs, 0, z, 0, zs.Length * sizeof(double));
        return (ts.data<double>().ToArray(), z);
    }

    /// <summary>One row of model inputs per beat, placed by the model's input layout (names, offsets).</summary>
    public static Tensor InputRows(Ecgsyn model, IReadOnlyList<BeatParameters> beats)
    {
        int width = model.Layout.InputSize;
        var rows = new double[beats.Count * width];
        for (int i = 0; i < beats.Count; i++)
        {
            var b = beats[i];
            foreach (var input in model.Layout.Inputs)
            {
                double[] values = input.Name switch
                {
                    "omega" => [2 * Math.PI / b.RR],
                    "wander" => [b.Wander],
                    "phase" => [b.Phase],
                    "theta" => b.Theta,
                    "a" => b.A,
                    "b" => b.B,
                    _ => throw new InvalidOperationException($"Ecgsyn input '{input.Name}' has no beat parameter."),
                };
                values.CopyTo(rows, i * width + input.Offset);
            }
        }
        return tensor(rows, [beats.Count, width], ScalarType.Float64);
    }

    static int[] Labels(int count, IReadOnlyList<double> shares, Random rng)
    {
        // Largest-remainder apportionment of count to the shares, then shuffled.
        double total = shares.Sum();
        var exact = shares.Select(s => s / total * count).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (int c in Enumerable.Range(0, counts.Length).OrderByDescending(c => exact[c] - counts[c]).Take(count - counts.Sum())) counts[c]++;
        var labels = counts.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();
        rng.Shuffle(labels);
        return labels;
    }

    static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
