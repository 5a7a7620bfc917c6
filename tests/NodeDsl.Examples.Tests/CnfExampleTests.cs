using Cnf;
using NodeDsl.Runtime.Data;

namespace NodeDsl.Examples.Tests;

/// <summary>A small run of the CNF example (FFJORD) and checks of its toy densities.</summary>
public sealed class CnfExampleTests
{
    [Fact]
    public void QuickRunLearnsTheMoonsAndWritesItsFiles()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-cnf-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = CnfOptions.Quick(dir);
            var runs = CnfExperiment.Run(options);
            Assert.Equal(2, runs.Count);
            foreach (var run in runs)
            {
                // A flow that learned nothing scores the base density's NLL, log 2π + mean ‖x‖²/2 ≈ 3.9 for the moons.
                // Measured after 40 steps (seed 1): 3.174 (plain), 3.173 (regularised).
                Assert.True(run.TestNll < BaseNll(options), $"{run.Model}: test NLL {run.TestNll} vs base {BaseNll(options)}");
                Assert.All(run.Steps, s => Assert.True(s.ForwardNfe >= 7 && s.BackwardNfe >= 7, $"NFE {s.ForwardNfe}/{s.BackwardNfe}"));
                // The density is a density: its grid sum over [−4.5, 4.5]² is close to 1 (mass outside and the grid's coarseness aside).
                double cell = Math.Pow(2 * CnfExperiment.PlotRange / options.DensityGrid, 2);
                double mass = run.Grid.Cast<double>().Sum() * cell;
                Assert.InRange(mass, 0.8, 1.05);
            }
            var lines = File.ReadAllLines(Path.Combine(dir, "results.csv"));
            Assert.Equal(CnfReport.Header, lines[0]);
            Assert.Equal(3, lines.Length);
            foreach (var png in new[] { "densities.png", "nfe.png", "loss.png" })
                Assert.True(new FileInfo(Path.Combine(dir, png)).Length > 0, png);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    /// <summary>−mean log N(x; 0, I) of the test moons: what a flow that learned nothing scores.</summary>
    static double BaseNll(CnfOptions options)
    {
        var test = ToyData.Sample(ToyDensity.TwoMoons, options.TestSize, new SeededRandom(options.Seed + 1000 + (int)ToyDensity.TwoMoons));
        return Enumerable.Range(0, options.TestSize).Average(i => Math.Log(2 * Math.PI) + 0.5 * (test[2 * i] * test[2 * i] + test[2 * i + 1] * test[2 * i + 1]));
    }

    [Fact]
    public void ToyDensitiesHaveTheirDocumentedShape()
    {
        var random = new SeededRandom(3);
        var gaussians = ToyData.Sample(ToyDensity.EightGaussians, 4000, random);
        // Radius of the centres 4/√2: the mean distance from the origin is within a component's σ of it.
        double meanRadius = Enumerable.Range(0, 4000).Average(i => Math.Sqrt(gaussians[2 * i] * gaussians[2 * i] + gaussians[2 * i + 1] * gaussians[2 * i + 1]));
        Assert.InRange(meanRadius, 4 / Math.Sqrt(2) - 0.354, 4 / Math.Sqrt(2) + 0.354);

        var checker = ToyData.Sample(ToyDensity.Checkerboard, 4000, random);
        for (int i = 0; i < 4000; i++)
        {
            double x = checker[2 * i], y = checker[2 * i + 1];
            Assert.InRange(x, -4, 4);
            Assert.InRange(y, -4, 4);
            // Dark squares of side 2: floor(x/2) + floor(y/2) is even (the layout of FFJORD's toy_data.py).
            Assert.True(((int)Math.Floor(x / 2) + (int)Math.Floor(y / 2)) % 2 == 0, $"({x}, {y}) on a light square");
        }
        Assert.Equal(Math.Log(32), ToyData.Entropy(ToyDensity.Checkerboard)!.Value, 14);
    }
}
