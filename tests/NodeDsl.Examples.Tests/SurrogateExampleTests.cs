using NodeDsl.Runtime;
using NodeDsl.Runtime.Export;
using SurrogateConsumer;
using SurrogateExport;
using SurrogateLibrary;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests;

/// <summary>The surrogate pipeline end to end: train → export → load through a surrogate; and the committed library.</summary>
public sealed class SurrogateExampleTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-surrogate-example-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ATinyTrainedModelExportedAndLoadedThroughTheSurrogatePredictsExactlyAsTrained()
    {
        var weights = Path.Combine(folder, "weights", "tiny.nodew");
        var r = SurrogateExportExperiment.Run(SurrogateExportOptions.Quick(Path.Combine(folder, "out"), weights));
        using var trained = r.Model;
        // 30 epochs from a random damping network: the loss must at least halve (it falls ~10× in practice).
        Assert.True(r.FinalLoss < r.InitialLoss / 2, $"loss {r.InitialLoss} → {r.FinalLoss}");
        Assert.Equal(new FileInfo(weights).Length, r.WeightsBytes);
        Assert.True(File.Exists(Path.Combine(folder, "out", "results.csv")));

        using var surrogate = new DampedOscillatorSurrogate(weights);
        var m = surrogate.Metadata;
        Assert.Equal(typeof(DampedOscillator).FullName, m.ModelType);
        Assert.Equal(("rk4", (double?)0.125, "autograd"), (m.Solver, m.StepSize, m.GradientMethod));
        Assert.Equal(new ValueRange("zeta", 0.05, 0.5), Assert.Single(m.Inputs));
        Assert.Equal(new ValueRange("t", 0, 5), m.Time);
        Assert.Equal(["x", "v"], m.States.Select(s => s.Name));

        var times = Enumerable.Range(0, 21).Select(i => 0.25 * i).ToArray();
        (double X0, double V0, double Zeta)[] cases = [(0.5, -1.0, 0.1), (-0.3, 0.8, 0.45)];
        using var scope = NewDisposeScope();
        foreach (var (x0, v0, zeta) in cases)
        {
            var p = surrogate.Predict(x0, v0, zeta, times);
            trained.Inputs = tensor(new[] { zeta }, [1, 1], ScalarType.Float64);
            var ys = Ode.Solve(trained, tensor(new[] { x0, v0 }, [1, 2], ScalarType.Float64), tensor(times, ScalarType.Float64),
                Solvers.Rk4, new SolverOptions { StepSize = 0.125 }).Ys.select(1, 0);
            trained.Inputs = null;
            // Same weights bit for bit, same dtype, solver and step: identical operations, so exact equality.
            Assert.Equal(ys.select(1, 0).data<double>().ToArray(), p.Position);
            Assert.Equal(ys.select(1, 1).data<double>().ToArray(), p.Velocity);
            Assert.Empty(p.RangeViolations);
        }
    }

    [Fact]
    public void TheLibraryLoadsItsEmbeddedWeightsAndPredictsTheOscillator()
    {
        // The generator's output is compiled into the library: the model is a TorchSharp module with batched rates.
        Assert.Equal(typeof(OdeModel), typeof(DampedOscillator).BaseType);
        Assert.NotNull(typeof(DampedOscillator).GetMethod(nameof(OdeModel.Rates), [typeof(Tensor), typeof(Tensor)])?.DeclaringType);
        using (var resource = typeof(DampedOscillatorSurrogate).Assembly.GetManifestResourceStream(DampedOscillatorSurrogate.ResourceName))
        {
            Assert.NotNull(resource);
            Assert.InRange(resource.Length, 1, 200_000);    // committed to git: keep it small
        }

        using var surrogate = new DampedOscillatorSurrogate(new SurrogateOptions { RangePolicy = RangePolicy.Throw });
        Assert.Equal(typeof(DampedOscillator).FullName, surrogate.Metadata.ModelType);
        Assert.False(string.IsNullOrEmpty(surrogate.Metadata.NodeDslVersion));
        var times = Enumerable.Range(0, 41).Select(i => 0.125 * i).ToArray();
        foreach (var zeta in new[] { 0.1, 0.25, 0.4 })
        {
            var p = surrogate.Predict(0.8, 0.0, zeta, times);
            double worst = times.Select((t, i) => Math.Abs(p.Position[i] - OscillatorPhysics.Exact(0.8, 0.0, zeta, t).X)).Max();
            // The committed export has a test RMSE of ~0.03 and a worst error of ~0.07 on these cases; an untrained
            // damping network misses by the amplitude (~0.5), so 0.15 separates trained from untrained.
            Assert.True(worst < 0.15, $"ζ = {zeta}: max |x − exact| = {worst}");
        }
        var e = Assert.Throws<SurrogateRangeException>(() => surrogate.Predict(0.8, 0.0, 0.8, times));
        Assert.Contains("input zeta = 0.8 lies outside the trained range [0.05, 0.5]", e.Message);
    }

    [Fact]
    public void TheConsumerPredictsPrintsTheRangeCheckAndWritesAPlot()
    {
        var r = ConsumerDemo.Run(folder);
        Assert.Equal(ConsumerDemo.Zetas.Length, r.Rows.Count);
        Assert.All(r.Rows.SkipLast(1), row => Assert.Equal(0, row.Violations));
        Assert.Equal(1, r.Rows[^1].Violations);                   // ζ = 0.8 is outside [0.05, 0.5]
        Assert.Contains("zeta = 0.8", r.RangeWarning);
        Assert.Contains("zeta = 0.8", r.RangeError);
        Assert.True(new FileInfo(r.PlotPath).Length > 1000, "the PNG was written");
    }
}
