using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests.Docs;

/// <summary>One row of the identifiability table in docs/training.md.</summary>
/// <param name="Setup">What was trained on what.</param>
/// <param name="Beta">The learned β (truth 0.6, initial guess 0.3).</param>
/// <param name="Loss">Final data loss (MSE on S and I).</param>
public sealed record IdentifiabilityRow(string Setup, double Beta, double Loss);

/// <summary>
/// The SIR study of docs/training.md, "Identifiability": the same data and training for each remedy, so that only the
/// model (or the penalty, or the data) differs.
/// </summary>
public static class IdentifiabilityStudy
{
    /// <summary>Initial (S, I) of the trajectories: the first alone is the "one epidemic" data set.</summary>
    public static readonly (double S, double I)[] Starts = [(0.99, 0.01), (0.9, 0.05), (0.7, 0.02), (0.5, 0.1)];

    /// <summary>Observation times: daily for 30 days.</summary>
    public static readonly double[] Days = [.. Enumerable.Range(0, 31).Select(d => (double)d)];

    /// <summary>Training epochs of every row (Adam, one whole-data batch each).</summary>
    public const int Epochs = 200;

    /// <summary>Noise-free observations of the true SIR from the first <paramref name="count"/> starts, built with FromSolution.</summary>
    public static TrajectoryDataset Data(int count)
    {
        using var scope = NewDisposeScope();
        var truth = new SirTruth(ModelOptions.Float64());
        var y0 = tensor(Starts.Take(count).SelectMany(s => new[] { s.S, s.I }).ToArray(), [count, 2], ScalarType.Float64);
        var solution = Ode.Solve(truth, y0, tensor(Days, ScalarType.Float64), Solvers.Dopri5,
            new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
        return TrajectoryDataset.FromSolution(solution, truth);
    }

    /// <summary>Trains <paramref name="model"/> on <paramref name="data"/> and reads its β.</summary>
    public static IdentifiabilityRow Fit(string setup, OdeModel model, TrajectoryDataset data, Func<Tensor>? penalty = null)
    {
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = Epochs,
            Seed = 1,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = 1.0 },
            Optimizer = OptimizerSettings.Adam(0.02),
            ParameterPenalty = penalty,
        });
        trainer.Fit(data);
        double beta = model.get_parameter("beta")!.item<double>();
        return new IdentifiabilityRow(setup, beta, trainer.Evaluate(data));
    }

    /// <summary>
    /// λ·mean((S·I·Extra(S, I))²) over the observed states: the network's share of the infection flux, read back from the
    /// rates as −S' − βSI, so the penalty needs no access to the network itself.
    /// </summary>
    public static Func<Tensor> NetworkOutputPenalty(SirWithRedundantNetwork model, TrajectoryDataset data, double lambda)
    {
        var rows = data.Trajectories.SelectMany(t => Enumerable.Range(0, t.Length).SelectMany(i => new[] { t.Values[i, 0], t.Values[i, 1] })).ToArray();
        var states = tensor(rows, [rows.Length / 2, 2], ScalarType.Float64);
        var s = states[.., 0];
        var i = states[.., 1];
        var t0 = tensor(0.0, ScalarType.Float64);
        return () =>
        {
            #region snippet: sir-penalty
            var rates = model.Rates(t0, states);                                   // states: the observed (S, I), [N, 2]
            var extra = -rates[.., 0] - model.get_parameter("beta")! * s * i;      // the network's share: −S' − βSI
            return lambda * extra.square().mean();
            #endregion
        };
    }
}
