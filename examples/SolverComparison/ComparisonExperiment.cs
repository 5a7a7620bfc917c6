using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace SolverComparison;

/// <summary>
/// Trains <see cref="SpiralNode"/> once per configuration (solver × gradient method × data spacing) with the shared
/// <see cref="Trainer"/>, as in the solver study of the Politecnico di Milano neural-ODE slides (training time,
/// time/epoch, MSE, max NFE), and measures each result.
/// </summary>
public static class ComparisonExperiment
{
    /// <summary>Runs every configuration of <paramref name="options"/> in table order; <paramref name="onResult"/> sees each as it finishes.</summary>
    public static ComparisonResult Run(ComparisonOptions options, Action<RunResult>? onResult = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // One intra-op thread: the tensors are tiny, and extra threads only contend on a shared machine.
        set_num_threads(1);
        var data = options.Spacings.Distinct().ToDictionary(s => s, s => SpiralData.Create(s, options.Points, options.Noise, options.Seed));
        var runs = new List<RunResult>();
        foreach (var spacing in options.Spacings)
            foreach (var solver in options.Solvers)
                foreach (var gradient in options.Gradients)
                {
                    var result = Train(new Configuration(solver, gradient, spacing), data[spacing], options);
                    runs.Add(result);
                    onResult?.Invoke(result);
                }
        return new ComparisonResult(options, data, runs);
    }

    /// <summary>Trains and evaluates one configuration; a diverging solve is recorded as the result, not thrown.</summary>
    public static RunResult Train(Configuration configuration, SpiralData data, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        // float64: the direct and adjoint gradients are compared in the tests, and per-op overhead (not arithmetic)
        // dominates at this size, so float32 would save little.
        var model = new SpiralNode(new ModelOptions { DType = ScalarType.Float64, Device = Devices.Default(), Seed = options.Seed });
        var solver = Solvers.ByName(configuration.Solver);
        var history = new List<EpochMetrics>();
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = options.Epochs,
            Seed = options.Seed,
            Solver = solver,
            SolverOptions = solver.IsAdaptive
                ? new SolverOptions { RelativeTolerance = options.RelativeTolerance, AbsoluteTolerance = options.AbsoluteTolerance }
                : new SolverOptions { StepSize = options.EffectiveFixedStep },
            Gradient = configuration.Gradient switch
            {
                GradientKind.Direct => GradientMethod.Direct,
                GradientKind.Adjoint => GradientMethod.Backsolve(),
                _ => GradientMethod.Checkpointed(),
            },
            // Chen et al.'s demo: random windows of a fixed number of points, one batch (one Adam step) per epoch.
            Sampler = new WindowSampler { BatchSize = options.BatchSize, BatchesPerEpoch = 1, MinPoints = options.WindowPoints, MaxPoints = options.WindowPoints },
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
            Schedule = LearningRateSchedule.Cosine(options.Epochs, options.LearningRate * 0.02),
            Loss = Losses.MeanSquared,
            Progress = ConsoleProgress.When(options.ShowProgress),
            Callbacks = [context => history.Add(context.Metrics)],
        });

        string? failure = null;
        var clock = Stopwatch.StartNew();
        try { trainer.Fit(data.Dataset); }
        catch (OdeSolverException e) { failure = Describe(e, $"epoch {history.Count + 1}"); }
        clock.Stop();
        if (failure is null && !double.IsFinite(history[^1].Loss)) failure = $"loss became {history[^1].Loss} at epoch {history.Count}";

        double? mse = null, trajectoryMse = null;
        double[,]? prediction = null;
        string? predictionFailure = null;
        if (failure is null)
        {
            try { mse = trainer.Evaluate(data.TruthWindows(options.WindowPoints)); }
            catch (OdeSolverException e) { predictionFailure = Describe(e, "the test windows"); }
            try
            {
                prediction = trainer.Predict(data.Dataset.With([new Trajectory("truth", data.Times, data.Truth)]), 0);   // from the true y0
                trajectoryMse = MeanSquaredError(prediction, data.Truth);
            }
            catch (OdeSolverException e) { predictionFailure ??= Describe(e, "the whole-trajectory solve from y0"); }
        }
        return new RunResult(configuration, history, clock.Elapsed.TotalSeconds, mse, trajectoryMse, prediction, failure, predictionFailure);
    }

    static string Describe(OdeSolverException e, string where) => e switch
    {
        NonFiniteStateException n => $"diverged in {where}: non-finite state at t = {n.Time:0.###}",
        MaxStepsExceededException m => $"step limit hit in {where} at t = {m.Time:0.###}",
        StepSizeUnderflowException u => $"step size underflow in {where} at t = {u.Time:0.###}",
        _ => $"{e.GetType().Name} in {where}",
    };

    static double MeanSquaredError(double[,] a, double[,] b)
    {
        double sum = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) { double d = a[i, j] - b[i, j]; sum += d * d; }
        return sum / a.Length;
    }
}
