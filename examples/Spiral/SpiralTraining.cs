using System.Diagnostics;
using System.Globalization;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Plotting;
using NodeDsl.Runtime.Training;
using NodeDsl.Workloads;
using static TorchSharp.torch;

namespace Spiral;

/// <summary>What a training run of <see cref="SpiralTraining"/> reached.</summary>
/// <param name="TestL1">Mean absolute error of a full solve from y0 over all points against the noise-free truth.</param>
/// <param name="InitialLoss">Training loss of the first epoch.</param>
/// <param name="FinalLoss">Mean training loss of the last 10 epochs.</param>
public sealed record SpiralMetrics(double TestL1, double InitialLoss, double FinalLoss, int Epochs, double TrainSeconds,
    long TrainingNfe, long PredictionNfe);

/// <summary>
/// Chen et al.'s spiral demo: fits <see cref="SpiralNode"/> to 1000 points of the true spiral with random windows of
/// 10 points, batch 20, Adam; then solves from y0 over the whole trajectory and writes plots and results.csv.
/// </summary>
public static class SpiralTraining
{
    public static SpiralMetrics Run(SpiralOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.OutputDirectory);
        // One intra-op thread: the tensors are tiny, and extra threads only contend on a shared machine.
        set_num_threads(1);
        // float32 halves the cost of each step; rk4 at the grid spacing is accurate far below the target error.
        var dtype = ScalarType.Float32;
        var device = Devices.Default();
        var (times, truth) = Truth();
        var data = TrajectoryDataset.Single(times, AddNoise(truth, options.Noise, options.Seed), ["y1", "y2"], "spiral");

        var model = new SpiralNode(new ModelOptions { DType = dtype, Device = device, Seed = options.Seed });
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = options.Epochs,
            Seed = options.Seed,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = times[1] - times[0] },
            Sampler = new WindowSampler { BatchSize = options.BatchSize, BatchesPerEpoch = 1, MinPoints = options.WindowPoints, MaxPoints = options.WindowPoints },
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
            Schedule = LearningRateSchedule.Cosine(options.Epochs, options.LearningRate * 0.02),
            Loss = Losses.MeanAbsolute,
            Progress = ConsoleProgress.When(options.ShowProgress),
        });
        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(data);
        clock.Stop();

        var predictionClock = Stopwatch.StartNew();
        var prediction = trainer.Predict(data, 0);
        predictionClock.Stop();
        double testL1 = MeanAbsoluteError(prediction, truth);
        var history = result.History;
        var metrics = new SpiralMetrics(testL1, history[0].Loss, history.TakeLast(10).Average(m => m.Loss), history.Count,
            clock.Elapsed.TotalSeconds, history.Sum(m => m.ForwardEvaluations), PredictionNfe(times.Length));

        Save(options.OutputDirectory, data, times, truth, prediction, model, result, metrics, dtype, device);
        return metrics;
    }

    static (double[] Times, double[,] Values) Truth()
    {
        // The truth at 1000 points, from a tight float64 dopri8 solve of the workload's dynamics.
        using var scope = NewDisposeScope();
        var y0 = SpiralWorkload.InitialState(ScalarType.Float64, CPU);
        var ts = SpiralWorkload.Times(ScalarType.Float64, CPU);
        var solution = Ode.Solve(SpiralWorkload.TrueDynamics(ScalarType.Float64, CPU), y0, ts, Solvers.Dopri8,
            new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
        var flat = solution.Ys.squeeze(1).contiguous().data<double>().ToArray();
        var values = new double[ts.shape[0], 2];
        Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(double));
        return (ts.data<double>().ToArray(), values);
    }

    static double[,] AddNoise(double[,] values, double sigma, long seed)
    {
        var noisy = (double[,])values.Clone();
        if (sigma == 0) return noisy;
        var rng = new Random(unchecked((int)seed));
        for (int i = 0; i < noisy.GetLength(0); i++)
            for (int j = 0; j < noisy.GetLength(1); j++)
            {
                // Box–Muller.
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                noisy[i, j] += sigma * System.Math.Sqrt(-2 * System.Math.Log(u1)) * System.Math.Cos(2 * System.Math.PI * u2);
            }
        return noisy;
    }

    static double MeanAbsoluteError(double[,] a, double[,] b)
    {
        double sum = 0;
        foreach (var (x, y) in a.Cast<double>().Zip(b.Cast<double>())) sum += System.Math.Abs(x - y);
        return sum / a.Length;
    }

    /// <summary>rk4 at the grid spacing: 4 evaluations per step.</summary>
    static long PredictionNfe(int points) => 4L * (points - 1);

    static void Save(string dir, TrajectoryDataset data, double[] times, double[,] truth, double[,] prediction, SpiralNode model,
        TrainingResult result, SpiralMetrics metrics, ScalarType dtype, Device device)
    {
        TrainingCharts.SaveTrajectories(Path.Combine(dir, "fit_trajectories.png"), data, 0, times, prediction, "Spiral: data vs neural ODE");
        TrainingCharts.SavePhasePortrait(Path.Combine(dir, "fit_phase.png"), data, 0, prediction, title: "Spiral: phase portrait, data vs neural ODE");
        var overlay = new Series("truth", Enumerable.Range(0, times.Length).Select(i => truth[i, 0]).ToArray(),
            Enumerable.Range(0, times.Length).Select(i => truth[i, 1]).ToArray(), SeriesStyle.Dashed);
        TrainingCharts.SaveVectorFieldComparison(Path.Combine(dir, "fit_vector_field.png"), model, SpiralWorkload.TrueDynamics(dtype, device), 2,
            (-2.2, 2.2), (-2.2, 2.2), dtype, device, [overlay], title: "Spiral: learned vs true vector field");
        TrainingCharts.SaveLossCurves(Path.Combine(dir, "fit_loss.png"), result.History, "Spiral: training L1 loss");
        var inv = CultureInfo.InvariantCulture;
        File.WriteAllLines(Path.Combine(dir, "results.csv"),
        [
            "test_l1,initial_loss,final_loss,epochs,train_seconds,training_nfe,prediction_nfe",
            string.Join(',', metrics.TestL1.ToString("R", inv), metrics.InitialLoss.ToString("R", inv), metrics.FinalLoss.ToString("R", inv),
                metrics.Epochs, metrics.TrainSeconds.ToString("0.00", inv), metrics.TrainingNfe, metrics.PredictionNfe),
        ]);
    }
}
