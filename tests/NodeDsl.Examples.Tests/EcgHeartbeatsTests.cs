using EcgHeartbeats;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using NodeDsl.Runtime.Data;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests;

/// <summary>
/// examples/EcgHeartbeats: the ECGSYN model against McSharry et al.'s published properties, the synthetic beats, the
/// MIT-BIH CSV layout, the deck's parameter counts, and a short training run.
/// </summary>
public sealed class EcgHeartbeatsTests
{
    /// <summary>Solves one beat from (x, y, z) = <paramref name="start"/> at t = 0 and returns (x, y, z) at <paramref name="times"/> (from 0).</summary>
    static (double[] T, double[] X, double[] Y, double[] Z) Solve(BeatParameters beat, double[] start, double[] times)
    {
        using var scope = NewDisposeScope();
        var model = new Ecgsyn(ModelOptions.Float64());
        model.Inputs = SyntheticBeats.InputRows(model, [beat]);
        var ts = tensor(times, ScalarType.Float64);
        // rtol 1e-9: the solver's error is far below every bound asserted on the result.
        var ys = Ode.Solve(model, tensor(start, [1, 3], ScalarType.Float64), ts, Solvers.Dopri5,
            new SolverOptions { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-11 }).Ys.squeeze(1);
        double[] Column(int c) => ys.select(1, c).contiguous().data<double>().ToArray();
        return (ts.data<double>().ToArray(), Column(0), Column(1), Column(2));
    }

    [Fact]
    public void TheLimitCycleIsTheUnitCircleWithPeriodRR()
    {
        const double rr = 0.8;
        // On the circle α = 1 − r = 0, so (x, y) rotates at ω = 2π/RR: back at the start after exactly RR, opposite after RR/2.
        var (_, x, y, _) = Solve(BeatParameters.Paper(rr), [-1, 0, 0], [0, rr / 2, rr, 2 * rr]);
        Assert.True(Math.Abs(x[2] + 1) < 1e-7 && Math.Abs(y[2]) < 1e-7, $"after RR: ({x[2]}, {y[2]})");
        Assert.True(Math.Abs(x[1] - 1) < 1e-7 && Math.Abs(y[1]) < 1e-7, $"after RR/2: ({x[1]}, {y[1]})");
        Assert.True(Math.Abs(x[3] + 1) < 1e-7, $"after 2 RR: x = {x[3]}");
        // Off the circle, r' = r(1 − r) (logistic): from r = 0.5, r(t) = 1/(1 + e^{−t}), so 1 − r(10) = 4.5e-5.
        var (_, x2, y2, _) = Solve(BeatParameters.Paper(rr), [0.5, 0, 0], [0, 10]);
        double r = Math.Sqrt(x2[^1] * x2[^1] + y2[^1] * y2[^1]);
        Assert.Equal(1 / (1 + Math.Exp(-10)), r, 1e-7);
    }

    [Fact]
    public void TheWavesPeakAtTheirConfiguredAngles()
    {
        // After 12 s the transient of z has decayed by e^{−12}; in the last cycle, each wave's extremum must sit at its θᵢ.
        // Bounds: the relaxation −(z − z₀) delays a wave by ~ its width in time (bᵢ/ω) times the relaxation rate — measured
        // lags are below 0.02 rad for the narrow Q, R, S and 0.06 rad for the wide P and T (see docs/ecg.md).
        const double rr = 1.0;
        // Output only at t = 0 and on a 1 kHz grid over the last cycle [12, 13] s.
        var (t, x, y, z) = Solve(BeatParameters.Paper(rr), [-1, 0, 0], [0, .. Enumerable.Range(0, 1001).Select(k => 12 + k / 1000.0)]);
        var lastCycle = Enumerable.Range(1, t.Length - 1).ToArray();
        double Angle(int i) => Math.Atan2(y[i], x[i]);
        double PeakAngle(double from, double to, bool max)
        {
            var window = lastCycle.Where(i => Angle(i) >= from && Angle(i) <= to);
            return Angle(max ? window.MaxBy(i => z[i]) : window.MinBy(i => z[i]));
        }
        var theta = BeatParameters.PaperTheta;
        Assert.Equal(theta[2], PeakAngle(-0.2, 0.2, max: true), 0.02);           // R
        Assert.Equal(theta[1], PeakAngle(-0.4, -0.1, max: false), 0.03);         // Q
        Assert.Equal(theta[3], PeakAngle(0.1, 0.5, max: false), 0.03);           // S
        Assert.Equal(theta[0], PeakAngle(-1.6, -0.6, max: true), 0.1);           // P
        Assert.Equal(theta[4], PeakAngle(1.0, 2.5, max: true), 0.1);             // T
        // R dominates: its height a b²/ω ≈ 30·0.01/(2π) = 0.048 above the baseline, more than P's and T's.
        double rHeight = z[lastCycle.MaxBy(i => z[i])];
        Assert.True(rHeight > 0.03 && rHeight < 0.06, $"R height {rHeight}");
    }

    [Fact]
    public void TensorRatesEqualTheModelsOwnScalarRates()
    {
        // The generated batched TorchSharp code against the [Rates] body run as plain C# (float64; same formulas, so
        // agreement to a few ulps of the largest term: 1e-12 relative).
        var rng = new Random(3);
        var beats = Enumerable.Range(0, 5).Select(c => BeatClasses.Draw(c, rng)).ToArray();
        var model = new Ecgsyn(ModelOptions.Float64());
        using var scope = NewDisposeScope();
        var inputs = SyntheticBeats.InputRows(model, beats);
        model.Inputs = inputs;
        var y = tensor(new[] { 0.3, 0.9, 0.01, -0.7, 0.2, 0.0, 0.1, -1.1, 0.05, 1.2, 0.1, -0.02, -0.9, -0.6, 0.03 }, [5, 3], ScalarType.Float64);
        var t = tensor(0.37, ScalarType.Float64);
        var rates = model.Rates(t, y).data<double>().ToArray();
        for (int i = 0; i < 5; i++)
        {
            var expected = model.ScalarRates(0.37, y[i].data<double>().ToArray(), inputs[i].data<double>().ToArray());
            for (int c = 0; c < 3; c++)
                Assert.True(Math.Abs(rates[i * 3 + c] - expected[c]) <= 1e-12 * (1 + Math.Abs(expected[c])), $"beat {i}, component {c}: {rates[i * 3 + c]} vs {expected[c]}");
        }
    }

    [Fact]
    public void SyntheticBeatsFollowTheHeartbeatLayoutAndRoundTripThroughTheCsv()
    {
        using var beats = SyntheticBeats.Generate(20, seed: 4, noise: 0);
        Assert.Equal([20L, 1, SyntheticBeats.Samples], beats.Inputs.shape);
        Assert.Equal([12, 2, 2, 2, 2], beats.ClassCounts());          // 60 % / 10 % shares of 20
        var values = beats.Inputs.data<float>().ToArray();
        for (int i = 0; i < 20; i++)
        {
            var row = values.AsSpan(i * SyntheticBeats.Samples, SyntheticBeats.Samples).ToArray();
            // Scaled to [0, 1] without noise, starting at the R peak: near the maximum, except for paced beats (Q), where the
            // next beat's pacing spike, taller than R, comes inside the 1.2 RR window and sets the scale.
            Assert.Equal(1f, row.Max(), 1e-6f);
            Assert.Equal(0f, row.Min(), 1e-6f);
            if (beats.Labels[i] != 4) Assert.True(row[0] > 0.8f, $"beat {i} (class {beats.Labels[i]}) starts at {row[0]}, not at its R peak");
        }
        string path = Path.Combine(Path.GetTempPath(), "nodedsl-beats-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            HeartbeatCsv.Write(path, beats);
            var line = File.ReadLines(path).First().Split(',');
            Assert.Equal(188, line.Length);
            using var back = HeartbeatCsv.Read(path);
            Assert.Equal(beats.Labels, back.Labels);
            // Written with round-trip formatting of the float64 value of each float32 sample: read back exactly.
            Assert.Equal(values, back.Inputs.data<float>().ToArray());
            File.AppendAllText(path, string.Join(',', Enumerable.Repeat("0.5", 187)) + ",7\n");
            var e = Assert.Throws<InvalidDataException>(() => HeartbeatCsv.Read(path));
            Assert.Contains("line 21", e.Message);
            Assert.Contains("0–4", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void NetworksHaveTheDecksParameterCounts()
    {
        // Zurlo–Facci: "ResNet: 182853, ODENet: 59333" tunable parameters; the same layers give the same counts.
        using var resnet = BeatNetworks.ResNet(1, CPU);
        using var ode = BeatNetworks.OdeNet(1, CPU, 1e-3);
        Assert.Equal(182_853, ClassifierNetworks.ParameterCount(resnet));
        Assert.Equal(59_333, ClassifierNetworks.ParameterCount(ode));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scores = ode.forward(rand(new long[] { 2, 1, SyntheticBeats.Samples }, generator: new Generator(1)));
        Assert.Equal([2L, 5], scores.shape);
        Assert.True(scores.isfinite().all().item<bool>());
    }

    [Fact]
    public void QuickRunStepsDownhillCountsNfeAndWritesItsResults()
    {
        // The folder does not exist yet: the run must create it (it once failed here, before writing results.csv).
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-ecg-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = EcgOptions.Quick(dir);
            var result = EcgExperiment.Run(options);
            Assert.True(result.IsSynthetic);
            foreach (var run in result.Runs)
            {
                // One batch per epoch, the same 50 beats: epoch 2's loss is the loss after one Adam step along the
                // computed gradient. A correct gradient lowers it; a wrong one (sign, missing term) does not.
                Assert.True(run.History[1].TrainLoss < run.History[0].TrainLoss, $"{run.Name}: training loss {run.History[0].TrainLoss} → {run.History[1].TrainLoss}");
                Assert.Equal(options.TestCount, run.Test.Confusion.Total);
            }
            var ode = result.Runs[1];
            Assert.True(ode.Last.ForwardNfePerBatch >= 7 && ode.Last.BackwardNfePerBatch >= 7, $"ODE-Net NFE {ode.Last.ForwardNfePerBatch} + {ode.Last.BackwardNfePerBatch}");
            EcgReport.WriteCsv(Path.Combine(dir, "results.csv"), result);
            EcgReport.SaveCharts(dir, result);
            foreach (var file in new[] { "results.csv", "beats.png", "test-error.png", "confusion-resnet.png", "confusion-odenet.png" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 0, file);
            Assert.Contains(File.ReadAllLines(Path.Combine(dir, "results.csv")), l => l.StartsWith("ODE-Net,f1_N,", StringComparison.Ordinal));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
