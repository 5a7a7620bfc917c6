using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Flows;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnf;

/// <summary>
/// FFJORD (Grathwohl et al. 2019) on 2-D toy densities: the DSL field <see cref="FlowField"/> inside a
/// <see cref="ContinuousNormalizingFlow"/>, trained by maximum likelihood with Hutchinson's trace estimator (Rademacher
/// probes, one per point and step) and the backsolve adjoint, on fresh samples every step. Each density is learned twice,
/// without and with Finlay et al.'s (2020) kinetic-energy and Jacobian regularisers, to compare the solver's cost (NFE).
/// Test NLL uses the exact trace (two products of the generated VJP per stage).
/// </summary>
public static class CnfExperiment
{
    /// <summary>Half-width of the square shown in the density plots.</summary>
    public const double PlotRange = 4.5;

    /// <summary>Trains every density and model, writes the PNGs and results.csv, returns the runs.</summary>
    public static IReadOnlyList<FlowRun> Run(CnfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Iterations < 1 || options.BatchSize < 1 || options.TestSize < 1 || options.Densities.Count == 0)
            throw new ArgumentException($"Iterations ({options.Iterations}), BatchSize ({options.BatchSize}), TestSize ({options.TestSize}) and the density list must be positive / non-empty.");
        Directory.CreateDirectory(options.OutputDirectory);
        // One intra-op thread: [256, 64] tensors gain nothing from more, and the machine may be shared.
        torch.set_num_threads(1);
        var runs = new List<FlowRun>();
        foreach (var density in options.Densities)
        {
            var test = ToyData.Sample(density, options.TestSize, new SeededRandom(options.Seed + 1000 + (int)density));
            foreach (bool regularised in new[] { false, true })
                runs.Add(TrainAndEvaluate(density, regularised, test, options));
        }
        CnfReport.Write(options, runs);
        return runs;
    }

    static FlowRun TrainAndEvaluate(ToyDensity density, bool regularised, double[] test, CnfOptions options)
    {
        string name = regularised ? "regularised" : "plain";
        var device = Devices.Default();
        using var field = new FlowField(new ModelOptions { DType = ScalarType.Float32, Device = device, Seed = options.Seed });
        var tolerance = new SolverOptions { RelativeTolerance = options.TrainTolerance, AbsoluteTolerance = options.TrainTolerance };
        var flow = new ContinuousNormalizingFlow(field, new FlowSettings
        {
            SolverOptions = tolerance,
            // At the loose training tolerance the backward reconstruction of z can drift from the forward solution (measured:
            // 8 Gaussians, regularised, between steps 100 and 150); the checkpointed adjoint then takes over for that step.
            Gradient = GradientMethod.Backsolve(new AdjointOptions
            {
                RelativeTolerance = options.TrainTolerance, AbsoluteTolerance = options.TrainTolerance, FallbackToCheckpointed = true,
            }),
        });
        var weights = regularised ? new Regularization { KineticEnergy = options.RegularizationWeight, JacobianFrobenius = options.RegularizationWeight } : null;
        using var optimizer = OptimizerSettings.Adam(options.LearningRate).Create(field.parameters());
        var data = new SeededRandom(options.Seed + (int)density);
        var probes = new SeededRandom(options.Seed + 500 + (int)density);
        var steps = new List<StepRecord>();
        for (int step = 1; step <= options.Iterations; step++)
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var x = Points(ToyData.Sample(density, options.BatchSize, data), device);
            optimizer.zero_grad();
            using var likelihood = flow.LogLikelihood(x, DivergenceMethod.Hutchinson, probes, trackRegularizers: regularised);
            var loss = likelihood.Loss(weights);
            // An adjoint's backward solve can fail (e.g. step-size underflow); BackwardPass.Run rethrows its own exception.
            BackwardPass.Run(loss);
            optimizer.step();
            steps.Add(new StepRecord(step, loss.item<float>(), likelihood.ForwardEvaluations,
                likelihood.Gradient?.Backward?.FunctionEvaluations ?? 0, clock.Elapsed.TotalSeconds));
            if (step % options.ReportEvery == 0 || step == options.Iterations) options.OnStep?.Invoke(density, name, steps[^1]);
        }

        var evaluation = new ContinuousNormalizingFlow(field, new FlowSettings
        {
            SolverOptions = new SolverOptions { RelativeTolerance = options.EvaluationTolerance, AbsoluteTolerance = options.EvaluationTolerance },
        });
        using var noGrad = no_grad();
        using var evalScope = NewDisposeScope();
        using var testLikelihood = evaluation.LogLikelihood(Points(test, device), DivergenceMethod.Exact);
        double nll = -testLikelihood.LogDensity.mean().item<float>();
        var grid = DensityGrid(evaluation, options.DensityGrid, device);
        using var generator = new Generator(unchecked((ulong)(options.Seed + 77)), device);
        var samples = evaluation.Sample(2000, generator).to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        return new FlowRun(density, name, nll, testLikelihood.ForwardEvaluations, steps, grid, samples);
    }

    /// <summary>p(x) on a <paramref name="n"/> × <paramref name="n"/> grid over [−<see cref="PlotRange"/>, <see cref="PlotRange"/>]², row 0 at the top.</summary>
    static double[,] DensityGrid(ContinuousNormalizingFlow flow, int n, Device device)
    {
        var axis = Enumerable.Range(0, n).Select(i => -PlotRange + (i + 0.5) * 2 * PlotRange / n).ToArray();
        var points = new double[2 * n * n];
        for (int row = 0; row < n; row++)
            for (int column = 0; column < n; column++)
                (points[2 * (row * n + column)], points[2 * (row * n + column) + 1]) = (axis[column], axis[n - 1 - row]);
        using var likelihood = flow.LogLikelihood(Points(points, device), DivergenceMethod.Exact);
        var values = likelihood.LogDensity.exp().to(ScalarType.Float64, CPU).data<double>().ToArray();
        var grid = new double[n, n];
        for (int row = 0; row < n; row++)
            for (int column = 0; column < n; column++) grid[row, column] = values[row * n + column];
        return grid;
    }

    static Tensor Points(double[] rowMajor, Device device)
    {
        using var host = tensor(rowMajor, [rowMajor.Length / 2, 2], ScalarType.Float64);
        return host.to(ScalarType.Float32, device);
    }
}
