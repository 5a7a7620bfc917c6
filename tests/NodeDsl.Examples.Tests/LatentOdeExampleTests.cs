using LatentOdeSpirals;

namespace NodeDsl.Examples.Tests;

/// <summary>A small run of the latent-ODE example (Chen et al. 2018 §5) and checks of its spiral data.</summary>
public sealed class LatentOdeExampleTests
{
    [Fact]
    public void QuickRunTrainsBothModelsAndWritesItsFiles()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-latent-ode-" + Guid.NewGuid().ToString("N"));
        try
        {
            // 200 spirals (160 for training), 12 epochs of 4 Adam steps per model.
            var options = LatentOdeOptions.Quick(dir);
            var result = LatentOdeExperiment.Run(options);
            var ode = result.LatentOde;

            // Measured (seed 1): −ELBO 4634 → 672, test interpolation MSE 2.2 (latent ODE) against 15 for the best constant;
            // the bounds leave room for rounding differences across machines, not for a broken encoder, solve or gradient.
            Assert.True(ode.Epochs[^1].NegativeElbo < ode.Epochs[0].NegativeElbo / 3, $"−ELBO {ode.Epochs[0].NegativeElbo} → {ode.Epochs[^1].NegativeElbo}");
            double constant = ConstantPredictorMse(options);
            Assert.True(ode.InterpolationMse < constant / 3, $"interpolation MSE {ode.InterpolationMse} vs constant {constant}");
            Assert.True(double.IsFinite(ode.ExtrapolationMse) && double.IsFinite(result.Rnn.ExtrapolationMse));
            // Dormand–Prince: at least the first-step estimate and one step of 6 stages per solve.
            Assert.All(ode.Epochs, e => Assert.True(e.ForwardNfe >= 7, $"NFE {e.ForwardNfe}"));
            // "Similar size": the baseline's decoder GRU is sized to within 10 % of the latent ODE's parameters.
            Assert.InRange(result.Rnn.Parameters, 0.9 * ode.Parameters, 1.1 * ode.Parameters);

            var lines = File.ReadAllLines(Path.Combine(dir, "results.csv"));
            Assert.Equal(LatentOdeReport.ResultsHeader, lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("latent ODE,", lines[1]);
            Assert.Equal(1 + 2 * options.Epochs, File.ReadAllLines(Path.Combine(dir, "history.csv")).Length);
            foreach (var png in new[] { "reconstructions.png", "error-over-time.png", "loss.png", "prior-samples.png" })
                Assert.True(new FileInfo(Path.Combine(dir, png)).Length > 0, png);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    /// <summary>MSE of the best constant (the mean of the test truth) over the test spirals' 200 sample times.</summary>
    static double ConstantPredictorMse(LatentOdeOptions options)
    {
        var spirals = SpiralData.Generate(options.Spirals, options.Observed, options.NoiseStd, options.Seed);
        int testCount = (int)Math.Round(options.TestFraction * spirals.Count);
        var points = spirals.Truth.Skip(spirals.Count - testCount)
            .SelectMany(t => Enumerable.Range(0, t.GetLength(0)).Select(k => (X: t[k, 0], Y: t[k, 1]))).ToArray();
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        return points.Average(p => 0.5 * ((p.X - mx) * (p.X - mx) + (p.Y - my) * (p.Y - my)));
    }

    [Fact]
    public void SpiralsFollowChenEtAlsFormulasAndAreObservedAtTheirOwnTimes()
    {
        var set = SpiralData.Generate(40, observed: 30, noiseStd: 0.0, seed: 5);
        Assert.Equal(40, set.Count);
        Assert.InRange(set.Clockwise.Count(c => c), 10, 30);   // each is a fair coin: 40 draws land in [10, 30] with probability > 0.998
        // Counter-clockwise: r = 0.3 θ about (5, 0), so the distance from the centre grows by 0.3 per unit of time.
        int cc = Array.FindIndex(set.Clockwise, c => !c);
        var t = set.Truth[cc];
        double R(int k) => Math.Sqrt((t[k, 0] - 5) * (t[k, 0] - 5) + t[k, 1] * t[k, 1]);
        Assert.Equal(0.3 * SpiralData.Step * 199, R(199) - R(0), 10);
        var distinct = new HashSet<string>();
        for (int i = 0; i < set.Count; i++)
        {
            var tr = set.Observed.Trajectories[i];
            Assert.Equal(30, tr.Length);
            Assert.All(tr.Times, time => Assert.Contains(time, set.SampleTimes.Take(SpiralData.WindowPoints)));
            distinct.Add(string.Join(',', tr.Times));
            // Without noise an observation is the truth at its sample time.
            int k = Array.IndexOf(set.SampleTimes, tr.Times[3]);
            Assert.Equal(set.Truth[i][k, 0], tr.Values[3, 0], 12);
        }
        Assert.True(distinct.Count > 35, "observation times differ between trajectories");
    }
}
