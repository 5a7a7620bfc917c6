using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace ParametrizedSurrogate;

/// <summary>
/// Parametrised neural-ODE surrogate of viscous Burgers' equation: reference data for several viscosities μ on
/// [0, T_train], a <see cref="BurgersSurrogate"/> trained on all of them at once (μ as a per-trajectory input), then
/// errors for (a) unseen μ inside the training range, (b) time extrapolation to T_end, (c) μ outside the range.
/// </summary>
public static class SurrogateExperiment
{
    /// <summary>Runs the experiment (deterministic for a seed).</summary>
    public static SurrogateResult Run(SurrogateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // One intra-op thread: the tensors are tiny, and extra threads only contend on a shared machine.
        set_num_threads(1);
        var times = Grid(options.EndTime, options.ObservationStep);
        int trainPoints = times.Count(t => t <= options.TrainingEnd + 1e-9);
        var cases = options.TrainingViscosities.Select(v => (v, CaseKind.Training))
            .Concat(options.InterpolationViscosities.Select(v => (v, CaseKind.Interpolation)))
            .Concat(options.OutOfRangeViscosities.Select(v => (v, CaseKind.OutOfRange))).ToArray();
        var truth = BurgersEquation.Solve(cases.Select(c => c.v).ToArray(), times);

        var model = new BurgersSurrogate(ModelOptions.Float64(options.Seed));
        var train = Dataset(model, times, truth, cases, CaseKind.Training, trainPoints);
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = options.Epochs,
            Seed = options.Seed,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = options.TrainingStep },
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
            Schedule = LearningRateSchedule.Cosine(options.Epochs, options.LearningRate / 100),
            Progress = ConsoleProgress.When(options.ShowProgress),
        });
        double initialLoss = trainer.Evaluate(train);
        var clock = Stopwatch.StartNew();
        var fit = trainer.Fit(train);
        double seconds = clock.Elapsed.TotalSeconds;
        double finalLoss = trainer.Evaluate(train);

        var results = new List<CaseResult>();
        for (int c = 0; c < cases.Length; c++)
        {
            var reference = Slice(truth, c);
            var prediction = Predict(model, cases[c].v, times);
            results.Add(new CaseResult(cases[c].v, cases[c].Item2, reference, prediction,
                RelativeError(prediction, reference, 0, trainPoints),
                RelativeError(prediction, reference, trainPoints, times.Length),
                Enumerable.Range(0, times.Length).Select(i => RelativeError(prediction, reference, i, i + 1)).ToArray()));
        }
        return new SurrogateResult(times, BurgersEquation.Grid(), results, initialLoss, finalLoss, fit.History, seconds);
    }

    /// <summary>The surrogate's solution <c>[T, n]</c> for viscosity <paramref name="viscosity"/> from the reference initial state; NaN when the solve fails.</summary>
    public static double[,] Predict(BurgersSurrogate model, double viscosity, double[] times)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(times);
        int n = BurgersEquation.GridSize;
        var result = new double[times.Length, n];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var u0 = tensor(BurgersEquation.InitialCondition(), [1, n], ScalarType.Float64).to(model.DType);
        model.Inputs = tensor(new[] { viscosity }, [1, 1], ScalarType.Float64).to(model.DType);
        try
        {
            // Adaptive steps: a learned field can be stiffer than the truth, most of all outside the training range.
            var ys = Ode.Solve(model, u0, tensor(times, ScalarType.Float64).to(model.DType), Solvers.Dopri5,
                new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9, MaxSteps = 20_000 }).Ys;
            var flat = ys.to(ScalarType.Float64).contiguous().data<double>().ToArray();
            Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        }
        catch (OdeSolverException)
        {
            for (int i = 0; i < times.Length; i++)
                for (int j = 0; j < n; j++) result[i, j] = double.NaN;
        }
        finally { model.Inputs = null; }
        return result;
    }

    /// <summary>‖pred − truth‖₂ / ‖truth‖₂ over rows [<paramref name="from"/>, <paramref name="to"/>); +∞ when the prediction is not finite.</summary>
    public static double RelativeError(double[,] prediction, double[,] truth, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(truth);
        double error = 0, norm = 0;
        for (int i = from; i < to; i++)
            for (int j = 0; j < truth.GetLength(1); j++)
            {
                double d = prediction[i, j] - truth[i, j];
                if (!double.IsFinite(d)) return double.PositiveInfinity;
                error += d * d;
                norm += truth[i, j] * truth[i, j];
            }
        return System.Math.Sqrt(error / norm);
    }

    static TrajectoryDataset Dataset(BurgersSurrogate model, double[] times, double[,,] truth, (double v, CaseKind Kind)[] cases,
        CaseKind kind, int points)
    {
        var trajectories = new List<Trajectory>();
        for (int c = 0; c < cases.Length; c++)
        {
            if (cases[c].Kind != kind) continue;
            var values = new double[points, BurgersEquation.GridSize];
            for (int i = 0; i < points; i++)
                for (int j = 0; j < BurgersEquation.GridSize; j++) values[i, j] = truth[i, c, j];
            trajectories.Add(new Trajectory($"mu={cases[c].v:R}", times[..points], values, inputs: [cases[c].v]));
        }
        return new TrajectoryDataset(model.Layout.ComponentNames, ["mu"], trajectories);
    }

    static double[,] Slice(double[,,] truth, int c)
    {
        var result = new double[truth.GetLength(0), truth.GetLength(2)];
        for (int i = 0; i < truth.GetLength(0); i++)
            for (int j = 0; j < truth.GetLength(2); j++) result[i, j] = truth[i, c, j];
        return result;
    }

    static double[] Grid(double end, double step)
    {
        int n = (int)System.Math.Round(end / step);
        return Enumerable.Range(0, n + 1).Select(i => i * step).ToArray();
    }
}
