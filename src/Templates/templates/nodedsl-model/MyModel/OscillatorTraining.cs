using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace MyModel;

/// <summary>Data from the true oscillator and a training run of <see cref="Oscillator"/> on them.</summary>
public static class OscillatorTraining
{
    /// <summary>The truth: ω = 2 and linear damping −2ζωv with ζ = 0.1.</summary>
    public const double TrueOmega = 2.0, TrueZeta = 0.1;

    /// <summary>Trajectories of the true oscillator from a few initial states, observed at 41 times on [0, 5].</summary>
    public static TrajectoryDataset Data()
    {
        double[] times = [.. Enumerable.Range(0, 41).Select(i => 0.125 * i)];
        double[] starts = [1.0, 0.0, 0.0, 1.5, -0.8, 0.6, 0.5, -1.0];   // (x0, v0) pairs
        int count = starts.Length / 2;
        using var y0 = tensor(starts, count, 2, dtype: float64);
        using var ts = tensor(times, dtype: float64);
        // The true vector field on a batch y = [count, 2]: (v, −ω²x − 2ζωv).
        var solution = Ode.Solve((t, y) => stack([y.select(1, 1), -TrueOmega * TrueOmega * y.select(1, 0) - 2 * TrueZeta * TrueOmega * y.select(1, 1)], 1),
            y0, ts, Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-11 });
        var trajectories = new List<Trajectory>();
        for (int k = 0; k < count; k++)
        {
            var values = new double[times.Length, 2];
            for (int i = 0; i < times.Length; i++)
                for (int j = 0; j < 2; j++) values[i, j] = solution.Ys[i, k, j].item<double>();
            trajectories.Add(new Trajectory($"start{k}", times, values));
        }
        return new TrajectoryDataset(["x", "v"], [], trajectories);
    }

    /// <summary>Trains <paramref name="model"/> on <paramref name="data"/> with Adam on whole trajectories (RK4, step 0.125).</summary>
    public static (double LossBefore, double LossAfter, TrainingResult Result) Fit(Oscillator model, TrajectoryDataset data, int epochs)
    {
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = epochs,
            Seed = 1,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = 0.125 },
            Optimizer = OptimizerSettings.Adam(0.02),
        });
        double before = trainer.Evaluate(data);
        var result = trainer.Fit(data);
        return (before, trainer.Evaluate(data), result);
    }

    /// <summary>The current value of the learnable frequency ω.</summary>
    public static double Omega(Oscillator model) => model.named_parameters().Single(p => p.name == "omega").parameter.item<double>();
}
