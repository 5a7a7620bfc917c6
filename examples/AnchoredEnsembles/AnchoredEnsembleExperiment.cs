using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Ensembles;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace AnchoredEnsembles;

/// <summary>
/// Anchored ensembles of neural ODEs (Pearce et al. 2018) on the noisy damped spiral: for each prior variance one
/// batched ensemble is trained with the Trainer (members as replicas of every window, anchored penalty as parameter
/// penalty); its first M members give the predictive mean ± 2σ, scored by coverage of held-out observations inside
/// the training window (interpolation) and after it (extrapolation).
/// </summary>
public static class AnchoredEnsembleExperiment
{
    /// <summary>Runs the experiment (deterministic for a seed).</summary>
    public static ExperimentResult Run(ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EnsembleSizes.Count == 0 || options.EnsembleSizes.Any(m => m < 1))
            throw new ArgumentException("EnsembleSizes must hold at least one size, each at least 1.", nameof(options));
        var dataRandom = new SeededRandom(options.Seed);
        int trainCount = (int)System.Math.Round(options.TrainingEnd / options.ObservationStep) + 1;
        var trainTimes = SpiralData.Grid(0, options.ObservationStep, trainCount);
        var train = SpiralData.Noisy(trainTimes, options.NoiseSd, dataRandom);
        var interpTimes = Enumerable.Range(0, options.InterpolationPoints)
            .Select(_ => dataRandom.NextDouble(0.05, options.TrainingEnd)).Order().ToArray();
        var interp = SpiralData.Noisy(interpTimes, options.NoiseSd, dataRandom);
        int extraCount = (int)System.Math.Round((options.ExtrapolationEnd - options.TrainingEnd) / options.ObservationStep);
        var extraTimes = SpiralData.Grid(options.TrainingEnd + options.ObservationStep, options.ObservationStep, extraCount);
        var extra = SpiralData.Noisy(extraTimes, options.NoiseSd, dataRandom);
        var denseTimes = SpiralData.Grid(0, 0.05, (int)System.Math.Round(options.ExtrapolationEnd / 0.05) + 1);
        var dataset = TrajectoryDataset.Single(trainTimes, train, SpiralData.StateNames, "spiral");

        double noiseVariance = options.NoiseSd * options.NoiseSd;
        var ensembles = new List<TrainedEnsemble>();
        var rows = new List<CoverageRow>();
        foreach (double priorVariance in options.PriorVariances)
        {
            var (ode, trained) = Train(dataset, priorVariance, options);
            ensembles.Add(trained with { Dense = Forecast(ode, denseTimes, options) });
            var atTrain = Forecast(ode, trainTimes, options);
            var atInterp = Forecast(ode, interpTimes, options);
            var atExtra = Forecast(ode, extraTimes, options);
            foreach (int m in options.EnsembleSizes.Order())
            {
                var trainMean = PredictiveDistribution.FromMembers(atTrain, noiseVariance, m).Mean;
                rows.Add(new CoverageRow(priorVariance, m,
                    Score(PredictiveDistribution.FromMembers(atInterp, noiseVariance, m), interp, SpiralData.Truth(interpTimes)),
                    Score(PredictiveDistribution.FromMembers(atExtra, noiseVariance, m), extra, SpiralData.Truth(extraTimes)),
                    Mse(trainMean, train)));
            }
        }
        return new ExperimentResult(trainTimes, train, interpTimes, interp, extraTimes, extra, denseTimes, ensembles, rows);
    }

    /// <summary>Trains one batched anchored ensemble of the largest size with the <see cref="Trainer"/>.</summary>
    static (EnsembleNeuralOde Ode, TrainedEnsemble Trained) Train(TrajectoryDataset data, double priorVariance, ExperimentOptions options)
    {
        int members = options.EnsembleSizes.Max();
        var ode = new EnsembleNeuralOde(members, 2, options.Hidden, NodeDsl.Activation.Tanh, ScalarType.Float64);
        var prior = GaussianPrior.FanInScaled(ode.Network, priorVariance);
        // Initial weights and anchors are two independent draws from the prior (Pearce et al., Algorithm 1).
        prior.Initialize(new SeededRandom(options.Seed * 7919 + 1));
        int scored = data.Trajectories[0].Length * data.ObservedSize;
        var anchored = prior.Anchor(new SeededRandom(options.Seed * 7919 + 2), options.NoiseSd * options.NoiseSd, scored, members);
        var trainer = new Trainer(ode, new TrainerOptions
        {
            Epochs = options.Epochs,
            Seed = options.Seed,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = options.StepSize },
            Sampler = new WindowSampler
            {
                BatchSize = options.BatchSize, BatchesPerEpoch = 1,
                MinPoints = options.MinWindowPoints, MaxPoints = options.MaxWindowPoints,
            },
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
            Schedule = LearningRateSchedule.Cosine(options.Epochs, options.LearningRate / 10),
            Replicas = members,                    // every window is solved once per member, in one solve
            ParameterPenalty = anchored.Penalty,   // (1/M) Σⱼ Σᵢ λᵢ ‖θⱼᵢ − θⱼᵢ,anc‖²
            Progress = ConsoleProgress.When(options.ShowProgress),
        });
        var clock = Stopwatch.StartNew();
        var fit = trainer.Fit(data);
        double seconds = clock.Elapsed.TotalSeconds;
        anchored.Dispose();
        return (ode, new TrainedEnsemble(priorVariance, members, fit.History, seconds, new double[0, 0, 0]));
    }

    /// <summary>All members from the true initial state at <paramref name="times"/>, <c>[M, T, 2]</c>: one batched RK4 solve from t = 0.</summary>
    static double[,,] Forecast(EnsembleNeuralOde ode, double[] times, ExperimentOptions options)
    {
        bool prepend = times[0] != 0;
        double[] grid = prepend ? [0.0, .. times] : times;
        var all = EnsembleForecast.Members(ode, ode.Members, SpiralData.InitialState, grid, Solvers.Rk4, new SolverOptions { StepSize = options.StepSize });
        if (!prepend) return all;
        var result = new double[ode.Members, times.Length, 2];
        for (int j = 0; j < ode.Members; j++)
            for (int i = 0; i < times.Length; i++)
                for (int k = 0; k < 2; k++) result[j, i, k] = all[j, i + 1, k];
        return result;
    }

    static HeldOutScore Score(PredictiveDistribution prediction, double[,] observed, double[,] truth)
        => new(prediction.Coverage(observed), prediction.MeanStdDev(), System.Math.Sqrt(Mse(prediction.Mean, truth)));

    static double Mse(double[,] a, double[,] b)
    {
        double sum = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int k = 0; k < a.GetLength(1); k++) sum += (a[i, k] - b[i, k]) * (a[i, k] - b[i, k]);
        return sum / a.Length;
    }
}
