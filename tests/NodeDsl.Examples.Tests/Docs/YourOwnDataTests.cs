using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests.Docs;

/// <summary>docs/training.md, "Your own data": each snippet runs here exactly as printed there (see <see cref="DocSnippets"/>).</summary>
public sealed class YourOwnDataTests
{
    const string Page = "docs/training.md";
    const string ThisFile = "tests/NodeDsl.Examples.Tests/Docs/YourOwnDataTests.cs";

    [Fact]
    public void FromArraysBuildsTrajectoriesWithTheirOwnTimesMissingValuesAndInputs()
    {
        DocSnippets.AssertSame(Page, ThisFile, "data-from-arrays");
        #region snippet: data-from-arrays
        // Two trajectories, each with its own (irregular) times; values are [T, nObs], NaN marks a missing value.
        var data = TrajectoryDataset.FromArrays(
            stateNames: ["x", "v"],
            times: [[0.0, 0.4, 1.1, 2.0], [0.0, 0.5, 1.5]],
            values:
            [
                new[,] { { 1.0, 0.0 }, { 0.93, -0.35 }, { 0.52, double.NaN }, { -0.31, -0.91 } },
                new[,] { { 0.5, 1.0 }, { 0.88, 0.49 }, { 0.61, -0.98 } },
            ],
            inputNames: ["zeta"],      // per-trajectory inputs, constant in time
            inputs: [[0.1], [0.3]]);
        #endregion
        Assert.Equal(2, data.Count);
        Assert.Equal([0.0, 0.5, 1.5], data.Trajectories[1].Times);
        Assert.False(data.Trajectories[0].Mask[2, 1]);
        Assert.Equal([0.3], data.Trajectories[1].Inputs);
    }

    [Fact]
    public void FromASolveThenTrainingRecoversTheLearnableAndReadsItByName()
    {
        DocSnippets.AssertSame(Page, ThisFile, "data-from-solve");
        using var scope = NewDisposeScope();
        #region snippet: data-from-solve
        // Synthetic data: the true oscillator (ω = 2) from three initial states, each with its own damping ratio ζ.
        var truth = new OscillatorTruth(ModelOptions.Float64());
        truth.Inputs = tensor(new[] { 0.1, 0.2, 0.4 }, [3, 1], ScalarType.Float64);      // [batch, inputs]
        var y0 = tensor(new[] { 1.0, 0.0, 0.0, 1.0, -0.5, 0.5 }, [3, 2], ScalarType.Float64);
        var solution = Ode.Solve(truth, y0, linspace(0, 5, 26, ScalarType.Float64), Solvers.Dopri5);
        var data = TrajectoryDataset.FromSolution(solution, truth);   // states x, v and input zeta, named by the model
        // Or from any [T, batch, n] tensor, e.g. with noise: FromTensors(times, values, stateNames, inputs, inputNames).
        var noisy = TrajectoryDataset.FromTensors(solution.Ts, solution.Ys + 0.01 * randn_like(solution.Ys),
            ["x", "v"], truth.Inputs, ["zeta"]);

        // Fit the learnable model, then read what it learned by name.
        var model = new Oscillator(ModelOptions.Float64(seed: 1));
        var trainer = new Trainer(model, new TrainerOptions
        {
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = 0.1 },
            Optimizer = OptimizerSettings.Adam(0.05),
            Epochs = 100,
        });
        trainer.Fit(data);
        double omega = model.Learnables.omega;                                 // ≈ 2 (typed, generated per [Learnable])
        foreach (var (name, parameter) in model.named_parameters())
            Console.WriteLine($"{name}: [{string.Join(", ", parameter.shape)}]");   // "omega: []"; networks: "Net.layer0.weight: [16, 2]", …
        #endregion
        Assert.Equal(3, data.Count);
        Assert.Equal(["x", "v"], data.StateNames);
        Assert.Equal(["zeta"], data.InputNames);
        Assert.Equal([0.4], data.Trajectories[2].Inputs);
        Assert.Equal(data.Trajectories[1].Times, noisy.Trajectories[1].Times);
        // Noise-free data from the same model class: ω is identified, and 100 Adam steps from ω = 1 reach it (RK4 at h = 0.1,
        // ωh = 0.2, adds a bias of order (ωh)⁴/120 ≈ 1e-5 relative). 0.01 fails for a wrong or missing gradient.
        Assert.True(Math.Abs(omega - 2) < 0.01, $"ω = {omega}");
    }

    [Fact]
    public void ACsvFileRoundTripsTheDataset()
    {
        DocSnippets.AssertSame(Page, ThisFile, "data-from-csv");
        var folder = Directory.CreateTempSubdirectory("nodedsl-own-data-").FullName;
        try
        {
            var data = TrajectoryDataset.FromArrays(["x", "v"], [[0.0, 0.5]], [new[,] { { 1.0, 0.0 }, { 0.9, double.NaN } }], ["zeta"], [[0.2]]);
            var path = Path.Combine(folder, "oscillator.csv");
            #region snippet: data-from-csv
            TrajectoryCsv.Write(data, path);            // trajectory,time,x,v,input:zeta — one row per observation
            var fromFile = TrajectoryCsv.Read(path);
            #endregion
            Assert.Equal(data.StateNames, fromFile.StateNames);
            Assert.Equal(data.Trajectories[0].Values, fromFile.Trajectories[0].Values);   // NaN round-trips as a blank cell
            Assert.Equal(data.Trajectories[0].Inputs, fromFile.Trajectories[0].Inputs);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
