using System.Diagnostics;
using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace LotkaVolterraUde;

/// <summary>
/// The Lotka–Volterra universal differential equation experiment (Rackauckas et al. 2020, §2.1): fit a UDE and a
/// pure neural ODE to 31 noisy points on [0, 3], compare the learned interaction with −βxy / +γxy, and
/// extrapolate both to t = 10.
/// </summary>
public static class UdeExperiment
{
    /// <summary>Runs the experiment (deterministic for a seed).</summary>
    public static UdeExperimentResult Run(UdeExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var observedTimes = LotkaVolterraData.Grid(options.TrainingEnd, options.ObservationStep);
        var data = LotkaVolterraData.Noisy(observedTimes, options.NoiseFraction, options.Seed);
        var times = LotkaVolterraData.Grid(options.ExtrapolationEnd, 0.02);
        var truth = LotkaVolterraData.Truth(times);

        var ude = new PredatorPreyUde(ModelOptions.Float64(options.Seed));
        var node = new PredatorPreyNode(ModelOptions.Float64(options.Seed));
        var udeOutcome = Fit("UDE", ude, data, times, truth, options);
        var nodeOutcome = Fit("NODE", node, data, times, truth, options);
        var observed = data.Trajectories[0].Values;
        var terms = Terms(ude, times, truth, options.TrainingEnd);
        return new UdeExperimentResult(times, truth, observedTimes, observed, udeOutcome, nodeOutcome, terms, Recover(terms, times, truth, options));
    }

    /// <summary>Sparse regression of the learned terms (on the states where they were evaluated) and the recovered model's extrapolation.</summary>
    static RecoveredModel Recover(InteractionTerms terms, double[] times, double[,] truth, UdeExperimentOptions options)
    {
        int n = terms.Times.Length;
        var x = Enumerable.Range(0, n).Select(i => truth[i, 0]).ToArray();
        var y = Enumerable.Range(0, n).Select(i => truth[i, 1]).ToArray();
        var prey = SparseRegression.Fit(x, y, terms.LearnedPrey);
        var predator = SparseRegression.Fit(x, y, terms.LearnedPredator);
        var prediction = SparseRegression.Integrate(prey, predator, times, LotkaVolterraData.InitialState);
        var (rmse, max) = Errors(prediction, truth, times, t => t > options.TrainingEnd + 1e-9);
        return new RecoveredModel(prey, predator, rmse, max, prediction);
    }

    static ModelOutcome Fit(string name, nn.Module model, NodeDsl.Runtime.Data.TrajectoryDataset data, double[] times, double[,] truth,
        UdeExperimentOptions options)
    {
        var clock = Stopwatch.StartNew();
        var fit = TwoPhaseFit.Run(model, data, options);
        double seconds = clock.Elapsed.TotalSeconds;
        var prediction = Predict((IOdeSystem)model, times);
        var (trainRmse, _) = Errors(prediction, truth, times, t => t <= options.TrainingEnd + 1e-9);
        var (extraRmse, extraMax) = Errors(prediction, truth, times, t => t > options.TrainingEnd + 1e-9);
        return new ModelOutcome(name, fit.InitialLoss, fit.AdamLoss, fit.FinalLoss, fit.LbfgsNote,
            trainRmse, extraRmse, extraMax, prediction, fit.History, seconds);
    }

    /// <summary>The model's trajectory from the true initial state; NaN from a failed solve on.</summary>
    static double[,] Predict(IOdeSystem model, double[] times)
    {
        try
        {
            return Solutions.Integrate(model, LotkaVolterraData.InitialState, times, Solvers.Dopri5,
                new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10, MaxSteps = 50_000 });
        }
        catch (OdeSolverException)
        {
            var failed = new double[times.Length, 2];
            for (int i = 0; i < times.Length; i++) failed[i, 0] = failed[i, 1] = double.NaN;
            return failed;
        }
    }

    /// <summary>RMSE and max error over the points whose time passes <paramref name="include"/>; +∞ when any is NaN.</summary>
    static (double Rmse, double Max) Errors(double[,] prediction, double[,] truth, double[] times, Func<double, bool> include)
    {
        double sum = 0, max = 0;
        int count = 0;
        for (int i = 0; i < times.Length; i++)
        {
            if (!include(times[i])) continue;
            for (int j = 0; j < 2; j++)
            {
                double e = System.Math.Abs(prediction[i, j] - truth[i, j]);
                if (!double.IsFinite(e)) return (double.PositiveInfinity, double.PositiveInfinity);
                sum += e * e;
                max = System.Math.Max(max, e);
                count++;
            }
        }
        return (System.Math.Sqrt(sum / count), max);
    }

    /// <summary>The UDE's rates minus its known terms, on the true trajectory over the training range.</summary>
    static InteractionTerms Terms(PredatorPreyUde ude, double[] times, double[,] truth, double trainingEnd)
    {
        int n = times.Count(t => t <= trainingEnd + 1e-9);
        var states = new double[n, 2];
        for (int i = 0; i < n; i++) (states[i, 0], states[i, 1]) = (truth[i, 0], truth[i, 1]);
        var rates = Solutions.Rates(ude, states);
        var learnedPrey = new double[n];
        var learnedPredator = new double[n];
        var truePrey = new double[n];
        var truePredator = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = states[i, 0], y = states[i, 1];
            learnedPrey[i] = rates[i, 0] - PredatorPreyUde.Alpha * x;
            learnedPredator[i] = rates[i, 1] + PredatorPreyUde.Delta * y;
            truePrey[i] = -LotkaVolterraTruth.Beta * x * y;
            truePredator[i] = LotkaVolterraTruth.Gamma * x * y;
        }
        return new InteractionTerms(times[..n], truePrey, truePredator, learnedPrey, learnedPredator);
    }
}
