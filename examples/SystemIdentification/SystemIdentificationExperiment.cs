using System.Globalization;
using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Plotting;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SystemIdentification;

/// <summary>One fitted model's outcome.</summary>
/// <param name="FitError">Mean absolute error of a solve from z0 over the training range against the noise-free truth.</param>
/// <param name="ExtrapolationError">The same over (T, 2T], beyond the data.</param>
public sealed record ModelMetrics(string Name, double InitialLoss, double FinalLoss, double FitError, double ExtrapolationError, double TrainSeconds, long TrainingNfe);

/// <summary>Outcome of the example: both models and the matrix the linear model recovered.</summary>
public sealed record SystemIdentificationMetrics(ModelMetrics Node, ModelMetrics Linear, double[,] RecoveredA, double MatrixError);

/// <summary>
/// The classic system-identification demo: dz/dt = A z with A = [[-0.1, -1], [1, -0.1]], z0 = (0.6, 0.3), 200 noisy
/// points on [0, 6.29·5]; random windows of 1–5 time units with at most 32 points; Adam. Fits a plain neural ODE and a
/// learnable linear map and compares them.
/// </summary>
public static class SystemIdentificationExperiment
{
    /// <summary>The true system matrix (column convention dz/dt = A z).</summary>
    public static readonly double[,] A = { { -0.1, -1.0 }, { 1.0, -0.1 } };
    const int Points = 200;
    const double EndTime = 6.29 * 5;

    public static SystemIdentificationMetrics Run(SystemIdentificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.OutputDirectory);
        // One intra-op thread: the tensors are tiny, and extra threads only contend on a shared machine.
        torch.set_num_threads(1);
        var dtype = ScalarType.Float64;
        var device = Devices.Default();
        // Twice the data range, so the second half measures extrapolation.
        var (allTimes, allTruth) = Truth(2 * Points - 1, 2 * EndTime);
        var times = allTimes.Take(Points).ToArray();
        var truth = Rows(allTruth, 0, Points);
        var data = TrajectoryDataset.Single(times, AddNoise(truth, options.Noise, options.Seed), ["z1", "z2"], "linear");

        var node = new PlainNode(new ModelOptions { DType = dtype, Device = device, Seed = options.Seed });
        var linear = new LinearModel(new ModelOptions { DType = dtype, Device = device, Seed = options.Seed });
        var (nodeMetrics, nodePrediction, nodeHistory) = Fit("plain NODE", node, data, allTimes, allTruth, options);
        var (linearMetrics, linearPrediction, linearHistory) = Fit("linear map", linear, data, allTimes, allTruth, options);

        var named = linear.named_parameters().ToDictionary(p => p.name, p => p.parameter.to(ScalarType.Float64).item<double>());
        var recovered = new double[,] { { named["a11"], named["a12"] }, { named["a21"], named["a22"] } };
        double matrixError = System.Math.Sqrt(Enumerable.Range(0, 4).Sum(k => System.Math.Pow(recovered[k / 2, k % 2] - A[k / 2, k % 2], 2)));
        var metrics = new SystemIdentificationMetrics(nodeMetrics, linearMetrics, recovered, matrixError);

        Save(options.OutputDirectory, data, allTimes, allTruth, node, linear, nodePrediction, linearPrediction, nodeHistory, linearHistory, metrics, dtype, device);
        return metrics;
    }

    static (ModelMetrics, double[,], IReadOnlyList<EpochMetrics>) Fit(string name, nn.Module model, TrajectoryDataset data,
        double[] allTimes, double[,] allTruth, SystemIdentificationOptions options)
    {
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = options.Epochs,
            Seed = options.Seed,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = allTimes[1] - allTimes[0] },
            Sampler = new WindowSampler { BatchSize = options.BatchSize, BatchesPerEpoch = 1, MinPoints = 2, MaxPoints = 32, MinDuration = 1, MaxDuration = 5 },
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
            Progress = ConsoleProgress.When(options.ShowProgress),
        });
        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(data);
        clock.Stop();
        var prediction = trainer.Predict(data, 0, allTimes);
        int points = data.Trajectories[0].Length;
        var history = result.History;
        var metrics = new ModelMetrics(name, history[0].Loss, history.TakeLast(10).Average(m => m.Loss),
            MeanAbsoluteError(prediction, allTruth, 0, points), MeanAbsoluteError(prediction, allTruth, points, allTimes.Length),
            clock.Elapsed.TotalSeconds, history.Sum(m => m.ForwardEvaluations));
        return (metrics, prediction, history);
    }

    static (double[] Times, double[,] Values) Truth(int points, double endTime)
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { A[0, 0], A[0, 1], A[1, 0], A[1, 1] }, 2, 2).to(ScalarType.Float64);
        var system = new DelegateOdeSystem((t, z) => z.mm(a.t()));   // batched rows: z Aᵀ = (A z)ᵀ
        var z0 = tensor(new[] { 0.6, 0.3 }, 1, 2).to(ScalarType.Float64);
        var ts = linspace(0, endTime, points, dtype: ScalarType.Float64);
        var solution = Ode.Solve(system, z0, ts, Solvers.Dopri8, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
        var flat = solution.Ys.squeeze(1).contiguous().data<double>().ToArray();
        var values = new double[points, 2];
        Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(double));
        return (ts.data<double>().ToArray(), values);
    }

    static double[,] Rows(double[,] values, int start, int count)
    {
        var result = new double[count, values.GetLength(1)];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < values.GetLength(1); j++) result[i, j] = values[start + i, j];
        return result;
    }

    static double[,] AddNoise(double[,] values, double sigma, long seed)
    {
        var noisy = (double[,])values.Clone();
        var rng = new Random(unchecked((int)seed));
        for (int i = 0; i < noisy.GetLength(0); i++)
            for (int j = 0; j < noisy.GetLength(1); j++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();   // Box–Muller
                noisy[i, j] += sigma * System.Math.Sqrt(-2 * System.Math.Log(u1)) * System.Math.Cos(2 * System.Math.PI * u2);
            }
        return noisy;
    }

    static double MeanAbsoluteError(double[,] a, double[,] b, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++)
            for (int j = 0; j < a.GetLength(1); j++) sum += System.Math.Abs(a[i, j] - b[i, j]);
        return sum / ((to - from) * a.GetLength(1));
    }

    static void Save(string dir, TrajectoryDataset data, double[] allTimes, double[,] allTruth, nn.Module node, nn.Module linear,
        double[,] nodePrediction, double[,] linearPrediction, IReadOnlyList<EpochMetrics> nodeHistory, IReadOnlyList<EpochMetrics> linearHistory,
        SystemIdentificationMetrics metrics, ScalarType dtype, Device device)
    {
        TrainingCharts.SaveTrajectories(Path.Combine(dir, "node_trajectories.png"), data, 0, allTimes, nodePrediction, "Plain NODE: data vs prediction (extrapolated to 2T)");
        TrainingCharts.SaveTrajectories(Path.Combine(dir, "linear_trajectories.png"), data, 0, allTimes, linearPrediction, "Linear map: data vs prediction (extrapolated to 2T)");
        var truthSeries = new Series("truth", Column(allTruth, 0), Column(allTruth, 1), SeriesStyle.Dashed);
        Charts.SaveLines(Path.Combine(dir, "phase.png"), "Phase portrait over [0, 2T]", "z1", "z2",
            [truthSeries, new Series("plain NODE", Column(nodePrediction, 0), Column(nodePrediction, 1)), new Series("linear map", Column(linearPrediction, 0), Column(linearPrediction, 1))],
            equalAxes: true);
        using (var scope = NewDisposeScope())
        {
            var a = tensor(new[] { A[0, 0], A[0, 1], A[1, 0], A[1, 1] }, 2, 2).to(dtype, device);
            var truth = new DelegateOdeSystem((t, z) => z.mm(a.t()));
            TrainingCharts.SaveVectorFieldComparison(Path.Combine(dir, "node_vector_field.png"), (IOdeSystem)node, truth, 2, (-0.8, 0.8), (-0.8, 0.8), dtype, device,
                [truthSeries], title: "Plain NODE: learned vs true vector field");
            TrainingCharts.SaveVectorFieldComparison(Path.Combine(dir, "linear_vector_field.png"), (IOdeSystem)linear, truth, 2, (-0.8, 0.8), (-0.8, 0.8), dtype, device,
                [truthSeries], title: "Linear map: learned vs true vector field");
        }
        TrainingCharts.SaveLossCurves(Path.Combine(dir, "node_loss.png"), nodeHistory, "Plain NODE: training MSE");
        TrainingCharts.SaveLossCurves(Path.Combine(dir, "linear_loss.png"), linearHistory, "Linear map: training MSE");
        var inv = CultureInfo.InvariantCulture;
        string Row(ModelMetrics m, string matrix) => string.Join(',', m.Name, m.InitialLoss.ToString("R", inv), m.FinalLoss.ToString("R", inv),
            m.FitError.ToString("R", inv), m.ExtrapolationError.ToString("R", inv), m.TrainSeconds.ToString("0.00", inv), m.TrainingNfe, matrix);
        var r = metrics.RecoveredA;
        string recovered = string.Join(',', new[] { r[0, 0], r[0, 1], r[1, 0], r[1, 1], metrics.MatrixError }.Select(v => v.ToString("R", inv)));
        File.WriteAllLines(Path.Combine(dir, "results.csv"),
        [
            "model,initial_loss,final_loss,fit_mae,extrapolation_mae,train_seconds,training_nfe,a11,a12,a21,a22,matrix_error_frobenius",
            Row(metrics.Node, ",,,,"),
            Row(metrics.Linear, recovered),
        ]);
    }

    static double[] Column(double[,] values, int column) => Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, column]).ToArray();
}
