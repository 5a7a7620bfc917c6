using NodeDsl.Runtime.Training;
using System.Diagnostics;
using System.Globalization;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Plotting;
using TorchSharp;
using static TorchSharp.torch;

namespace SecondOrder;

/// <summary>One trained model's metrics.</summary>
/// <param name="TrainMse">Final training loss: MSE of the position against the noisy observations on [0, TrainEnd].</param>
/// <param name="TestFitMse">MSE of the position against the clean truth on [0, TrainEnd], test trajectories.</param>
/// <param name="ExtrapolationMse">MSE against the clean truth on (TrainEnd, ExtrapolationEnd], test trajectories.</param>
/// <param name="FunctionEvaluations">Rates evaluations of one dopri5 solve of the test batch over the whole window.</param>
public sealed record ModelResult(string Model, int Parameters, double TrainMse, double TestFitMse, double ExtrapolationMse, int FunctionEvaluations,
    double TrainSeconds, double[] Loss, double[] Prediction, double[] Velocity);

/// <summary>Both models, the truth of the first test trajectory and its observations.</summary>
public sealed record ExperimentResult(IReadOnlyList<ModelResult> Models, double[] Times, double[] TruePosition, double[] TrueVelocity, double[] Observed);

/// <summary>
/// Norcliffe et al. 2020, §5 (a damped, driven oscillator observed in position only): a SONODE, whose state is
/// (x, latent x'), against an ANODE with one augmented dimension and the same parameter count. Both are fitted by
/// backpropagation through a fixed-step RK4 solve on [0, TrainEnd] and extrapolated to ExtrapolationEnd.
/// </summary>
public static class SecondOrderExperiment
{
    static readonly SolverOptions Accurate = new() { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 };

    /// <summary>Runs the experiment, writes results.csv and the PNGs, and returns the results.</summary>
    public static ExperimentResult Run(SecondOrderOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        log ??= _ => { };
        Directory.CreateDirectory(options.OutputDirectory);
        torch.set_num_threads(1); // small tensors: more threads only contend on a shared machine
        using var scope = NewDisposeScope();
        var rng = new Random((int)options.Seed);
        int count = (int)System.Math.Round(options.ExtrapolationEnd / options.ObservationStep) + 1;
        int fit = (int)System.Math.Round(options.TrainEnd / options.ObservationStep) + 1;
        var times = linspace(0, options.ExtrapolationEnd, count, dtype: float64);
        var timeList = times.data<double>().ToArray();

        // Truth and noisy position observations, [T, batch] each.
        var (train, trainObserved) = Observe(options.TrainTrajectories, times, rng, options.Noise);
        var (test, testObserved) = Observe(options.TestTrajectories, times, rng, options.Noise);

        var modelOptions = new ModelOptions { DType = ScalarType.Float64, Seed = options.Seed };
        var results = new List<ModelResult>();
        foreach (OdeModel model in new OdeModel[] { new Sonode(modelOptions), new Anode(modelOptions) })
        {
            var name = model is Sonode ? "SONODE" : "ANODE";
            log($"training {name} ({model.parameters().Sum(p => p.numel())} parameters, {options.Steps} Adam steps)");
            var clock = Stopwatch.StartNew();
            var loss = Train(model, InitialState(model, trainObserved, timeList), trainObserved.narrow(0, 0, fit), times.narrow(0, 0, fit), options);
            clock.Stop();
            using var noGrad = no_grad();
            var solution = Ode.Solve(model, InitialState(model, testObserved, timeList), times, Solvers.Dopri5,
                new SolverOptions { RelativeTolerance = options.Tolerance, AbsoluteTolerance = options.Tolerance });
            var x = solution.Ys.select(2, 0);
            var truth = test.select(2, 0);
            double Mse(int start, int length) => x.narrow(0, start, length).sub(truth.narrow(0, start, length)).square().mean().ToDouble();
            var result = new ModelResult(name, (int)model.parameters().Sum(p => p.numel()), loss[^1], Mse(0, fit), Mse(fit, count - fit),
                solution.Stats.FunctionEvaluations, clock.Elapsed.TotalSeconds, loss,
                x.select(1, 0).data<double>().ToArray(), solution.Ys.select(2, 1).select(1, 0).data<double>().ToArray());
            log($"{name}: train MSE {result.TrainMse:E3}, extrapolation MSE {result.ExtrapolationMse:E3}, NFE {result.FunctionEvaluations} ({result.TrainSeconds:0.0} s)");
            results.Add(result);
        }
        var experiment = new ExperimentResult(results, timeList, test.select(2, 0).select(1, 0).data<double>().ToArray(),
            test.select(2, 1).select(1, 0).data<double>().ToArray(), testObserved.select(1, 0).narrow(0, 0, fit).data<double>().ToArray());
        Save(options, experiment, fit);
        return experiment;
    }

    // Random initial states x ∈ [−1.5, 1.5], x' ∈ [−1, 1]; the true (x, x') trajectories [T, batch, 2] and noisy positions [T, batch].
    static (Tensor Truth, Tensor Observed) Observe(int batch, Tensor times, Random rng, double noise)
    {
        var y0 = tensor(Enumerable.Range(0, batch).SelectMany(_ => new[] { 3 * rng.NextDouble() - 1.5, 2 * rng.NextDouble() - 1 }).ToArray(), [batch, 2], float64);
        using var noGrad = no_grad();
        var truth = Ode.Solve(new DrivenOscillator(ModelOptions.Float64()), y0, times, Solvers.Dopri5, Accurate).Ys;
        var noisy = Enumerable.Range(0, (int)(times.shape[0] * batch)).Select(_ => noise * Gaussian(rng)).ToArray();
        return (truth, truth.select(2, 0).add(tensor(noisy, [times.shape[0], batch], float64)));
    }

    static double Gaussian(Random rng) => System.Math.Sqrt(-2 * System.Math.Log(1 - rng.NextDouble())) * System.Math.Cos(2 * System.Math.PI * rng.NextDouble());

    // SONODE: the latent velocity estimated from the first three observations (as the Trainer does by default: the
    // three-point one-sided difference, second order); ANODE: the augmented dimension at zero.
    static Tensor InitialState(OdeModel model, Tensor observed, double[] times)
    {
        var x0 = observed.select(0, 0).unsqueeze(1);
        return model is Sonode
            ? InitialVelocity.State(model, x0, InitialVelocity.LatentFromObservations(model.Layout, observed.transpose(0, 1).unsqueeze(2), times))
            : model.Augment(x0);
    }

    static double[] Train(OdeModel model, Tensor y0, Tensor observed, Tensor times, SecondOrderOptions options)
    {
        var optimizer = OptimizerSettings.Adam(options.LearningRate).Create(model.parameters());
        var solverOptions = new SolverOptions { StepSize = options.TrainingStep };
        var losses = new double[options.Steps];
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var ys = Ode.Solve(model, y0, times, Solvers.Rk4, solverOptions).Ys;
            var loss = ys.select(2, 0).sub(observed).square().mean();
            loss.backward();
            optimizer.step();
            losses[step] = loss.ToDouble();
        }
        return losses;
    }

    static void Save(SecondOrderOptions options, ExperimentResult r, int fit)
    {
        var inv = CultureInfo.InvariantCulture;
        string R(double v) => v.ToString("R", inv);
        var lines = new List<string> { "model,parameters,train_mse,test_fit_mse,extrapolation_mse,function_evaluations,train_seconds" };
        lines.AddRange(r.Models.Select(m => string.Join(',', m.Model, m.Parameters, R(m.TrainMse), R(m.TestFitMse), R(m.ExtrapolationMse),
            m.FunctionEvaluations, m.TrainSeconds.ToString("0.0", inv))));
        File.WriteAllLines(Path.Combine(options.OutputDirectory, "results.csv"), lines);

        string File_(string name) => Path.Combine(options.OutputDirectory, name);
        var series = new List<Series>
        {
            new("observed (training window)", r.Times.Take(fit).ToArray(), r.Observed, SeriesStyle.Markers, 7),
            new("truth", r.Times, r.TruePosition, SeriesStyle.Dashed, 0),
        };
        series.AddRange(r.Models.Select((m, i) => new Series(m.Model, r.Times, m.Prediction, SeriesStyle.Line, i + 1)));
        Charts.SaveLines(File_("trajectories.png"), $"Position of a test trajectory: fitted on [0, {options.TrainEnd}], extrapolated to {options.ExtrapolationEnd}",
            "t", "x", series);
        Charts.SaveLines(File_("loss.png"), "Training loss (position MSE on the training window)", "Adam step", "MSE",
            r.Models.Select((m, i) => new Series(m.Model, Enumerable.Range(1, m.Loss.Length).Select(k => (double)k).ToArray(), m.Loss, SeriesStyle.Line, i + 1)),
            logY: true);
        var sonode = r.Models.First(m => m.Model == "SONODE");
        Charts.SaveLines(File_("latent_velocity.png"), "SONODE's latent velocity against the true (unobserved) velocity", "t", "x'",
        [
            new("true velocity", r.Times, r.TrueVelocity, SeriesStyle.Dashed, 0),
            new("SONODE latent velocity", r.Times, sonode.Velocity, SeriesStyle.Line, 1),
        ]);
    }
}
