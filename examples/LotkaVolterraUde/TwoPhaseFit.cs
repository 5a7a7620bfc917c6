using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace LotkaVolterraUde;

/// <summary>Adam, then L-BFGS from Adam's result (the schedule of Rackauckas et al. 2020), on whole trajectories.</summary>
public static class TwoPhaseFit
{
    /// <summary>What the two phases reached.</summary>
    public sealed record Outcome(double InitialLoss, double AdamLoss, double FinalLoss, string? LbfgsNote, IReadOnlyList<EpochMetrics> History);

    /// <summary>Trains <paramref name="model"/> on <paramref name="data"/> in place.</summary>
    public static Outcome Run(nn.Module model, TrajectoryDataset data, UdeExperimentOptions options)
    {
        var common = new TrainerOptions
        {
            Solver = Solvers.Tsit5,
            SolverOptions = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8, MaxSteps = 20_000 },
            Sampler = new WholeTrajectorySampler(),
            Seed = options.Seed,
            Progress = ConsoleProgress.When(options.ShowProgress),
            // u0 is part of the experiment's specification, so solves start from it, not from the noisy first point.
            InitialState = batch => tensor(LotkaVolterraData.InitialState, dtype: ScalarType.Float64).expand(batch.Size, 2).contiguous(),
        };
        var adam = new Trainer(model, common with { Epochs = options.AdamEpochs, Optimizer = OptimizerSettings.Adam(options.AdamLearningRate) });
        double initial = adam.Evaluate(data);
        var history = new List<EpochMetrics>(adam.Fit(data).History);
        double adamLoss = adam.Evaluate(data);
        if (options.LbfgsEpochs == 0) return new Outcome(initial, adamLoss, adamLoss, null, history);

        // TorchSharp's L-BFGS has no line search (hence the small rate 0.1), so a step can overshoot into a blow-up: keep Adam's weights then.
        var before = NamedTensors.Capture(model);
        var lbfgs = new Trainer(model, common with
        {
            Epochs = options.LbfgsEpochs,
            Optimizer = OptimizerSettings.Lbfgs(0.1, options.LbfgsIterations),
        });
        string? note = null;
        double final;
        try
        {
            var phase = lbfgs.Fit(data).History;
            final = lbfgs.Evaluate(data);
            if (!(final <= adamLoss)) note = $"L-BFGS ended at loss {final:G4} > Adam's {adamLoss:G4}";
            else history.AddRange(phase.Select(m => m with { Epoch = m.Epoch + options.AdamEpochs }));
        }
        catch (OdeSolverException e) { note = $"L-BFGS diverged ({e.GetType().Name})"; }
        if (note is not null)
        {
            NamedTensors.Restore(before, model);
            final = adamLoss;
        }
        else final = lbfgs.Evaluate(data);
        return new Outcome(initial, adamLoss, final, note, history);
    }
}
