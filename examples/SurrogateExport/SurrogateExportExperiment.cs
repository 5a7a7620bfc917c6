using System.Diagnostics;
using System.Globalization;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Export;
using NodeDsl.Runtime.Plotting;
using NodeDsl.Runtime.Training;
using SurrogateLibrary;
using TorchSharp;

namespace SurrogateExport;

/// <summary>Outcome of the export example.</summary>
/// <param name="Model">The trained model (the caller disposes it).</param>
/// <param name="Metadata">The metadata as written to the weight file.</param>
/// <param name="WeightsPath">Full path of the weight file.</param>
/// <param name="WeightsBytes">Its size.</param>
/// <param name="InitialLoss">Training MSE of the first epoch.</param>
/// <param name="FinalLoss">Training MSE of the last epoch.</param>
/// <param name="TestRmse">RMSE over x and v of held-out ζ inside the trained range.</param>
/// <param name="ExtrapolationRmse">The same for ζ = 0.8, outside the trained range.</param>
/// <param name="TrainSeconds">Wall-clock training time.</param>
public sealed record SurrogateExportResult(DampedOscillator Model, WeightMetadata Metadata, string WeightsPath, long WeightsBytes,
    double InitialLoss, double FinalLoss, double TestRmse, double ExtrapolationRmse, double TrainSeconds);

/// <summary>
/// Trains the <see cref="DampedOscillator"/> UDE on closed-form trajectories for a range of damping ratios ζ (an
/// <c>[Input]</c>) and exports it as a weight file for examples/SurrogateLibrary: RK4 with the data's step, whole
/// trajectories in one batch, Adam with cosine annealing.
/// </summary>
public static class SurrogateExportExperiment
{
    /// <summary>Held-out damping ratios inside the trained range, and one outside it.</summary>
    public static readonly double[] TestZetas = [0.12, 0.27, 0.43];
    /// <summary>A damping ratio outside the trained range [0.05, 0.5].</summary>
    public const double ExtrapolationZeta = 0.8;
    static readonly (double X0, double V0)[] TestStates = [(0.8, 0.0), (-0.5, 1.5)];

    public static SurrogateExportResult Run(SurrogateExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.OutputDirectory);
        var weightsPath = Path.GetFullPath(options.WeightsPath ?? DefaultWeightsPath());
        // One intra-op thread: the tensors are tiny, and extra threads only contend on a shared machine.
        torch.set_num_threads(1);
        var data = OscillatorData.Training(options);
        var model = new DampedOscillator(ModelOptions.Float64(options.Seed));
        var trainerOptions = new TrainerOptions
        {
            Epochs = options.Epochs,
            Seed = options.Seed,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = options.EndTime / (options.Points - 1) },
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
            Schedule = LearningRateSchedule.Cosine(options.Epochs, options.LearningRate / 10),
            Progress = ConsoleProgress.When(options.ShowProgress),
        };
        var trainer = new Trainer(model, trainerOptions);
        var clock = Stopwatch.StartNew();
        var history = trainer.Fit(data).History;
        clock.Stop();

        var metadata = model.SaveWeights(weightsPath, WeightMetadata.FromTraining(data, trainerOptions, options.Notes));
        var test = OscillatorData.Dataset(TestZetas.SelectMany(z => TestStates.Select(s => (z, s.X0, s.V0))), options.EndTime, options.Points);
        var extrapolation = OscillatorData.Dataset(TestStates.Select(s => (ExtrapolationZeta, s.X0, s.V0)), options.EndTime, options.Points);
        var result = new SurrogateExportResult(model, metadata, weightsPath, new FileInfo(weightsPath).Length,
            history[0].Loss, history[^1].Loss, Rmse(trainer, test), Rmse(trainer, extrapolation), clock.Elapsed.TotalSeconds);
        Save(options.OutputDirectory, trainer, test, extrapolation, history, result);
        return result;
    }

    /// <summary>examples/SurrogateLibrary/Weights/damped-oscillator.nodew of the clone around the working directory (or this program).</summary>
    public static string DefaultWeightsPath()
    {
        const string relative = "examples/SurrogateLibrary/Weights";
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, relative)))
                    return Path.Combine(dir.FullName, relative, "damped-oscillator" + WeightFile.Extension);
        throw new DirectoryNotFoundException(
            $"Could not find {relative} above '{Directory.GetCurrentDirectory()}'. Run from inside the NodeDsl clone or pass --weights PATH.");
    }

    static double Rmse(Trainer trainer, TrajectoryDataset data)
    {
        double sum = 0;
        int count = 0;
        for (int k = 0; k < data.Count; k++)
        {
            var truth = data.Trajectories[k].Values;
            var prediction = trainer.Predict(data, k);
            for (int i = 0; i < truth.GetLength(0); i++)
                for (int j = 0; j < truth.GetLength(1); j++, count++) sum += Math.Pow(prediction[i, j] - truth[i, j], 2);
        }
        return Math.Sqrt(sum / count);
    }

    static void Save(string dir, Trainer trainer, TrajectoryDataset test, TrajectoryDataset extrapolation, IReadOnlyList<EpochMetrics> history, SurrogateExportResult r)
    {
        TrainingCharts.SaveLossCurves(Path.Combine(dir, "loss.png"), history, "Damped oscillator UDE: training MSE");
        var series = new List<Series>();
        int color = 0;
        foreach (var (data, k) in new[] { (test, 0), (test, 2), (test, 4), (extrapolation, 0) })
        {
            var tr = data.Trajectories[k];
            var prediction = trainer.Predict(data, k);
            series.Add(new Series($"{tr.Id} truth", tr.Times, Column(tr.Values, 0), SeriesStyle.Dashed, color));
            series.Add(new Series($"{tr.Id} surrogate", tr.Times, Column(prediction, 0), SeriesStyle.Line, color));
            color++;
        }
        Charts.SaveLines(Path.Combine(dir, "predictions.png"), "x(t) from (0.8, 0): truth (dashed) vs trained UDE", "t", "x", series);
        var inv = CultureInfo.InvariantCulture;
        File.WriteAllLines(Path.Combine(dir, "results.csv"),
        [
            "initial_loss,final_loss,test_rmse,extrapolation_rmse,train_seconds,weights_bytes,weights_path",
            string.Join(',', r.InitialLoss.ToString("R", inv), r.FinalLoss.ToString("R", inv), r.TestRmse.ToString("R", inv),
                r.ExtrapolationRmse.ToString("R", inv), r.TrainSeconds.ToString("0.00", inv), r.WeightsBytes, r.WeightsPath),
        ]);
    }

    static double[] Column(double[,] values, int column) => Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, column]).ToArray();
}
