using System.Diagnostics;
using System.Globalization;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Plotting;
using TorchSharp;
using static TorchSharp.torch;

namespace DoublePendulum;

/// <summary>One trained model's metrics.</summary>
/// <param name="TrainMse">Acceleration MSE on the training states.</param>
/// <param name="TestMse">Acceleration MSE on the test states.</param>
/// <param name="TrajectoryMse">State MSE of the rollouts against the true rollouts.</param>
/// <param name="MaxEnergyDrift">Largest |E(t) − E(0)| of the true energy along the model's rollouts (mean over rollouts).</param>
/// <param name="FinalEnergyDrift">|E(T) − E(0)| at the end of the rollouts (mean over rollouts).</param>
/// <param name="LearnedEnergyDrift">
/// For the LNN, the largest drift of its own energy E = q̇·∂L/∂q̇ − L along its first rollout (conserved by the
/// Euler–Lagrange flow, so only the solver's error remains); NaN for the baseline, which has no energy.
/// </param>
public sealed record PendulumModelResult(string Model, int Parameters, double TrainMse, double TestMse, double TrajectoryMse,
    double MaxEnergyDrift, double FinalEnergyDrift, double LearnedEnergyDrift, double TrainSeconds, double[] Loss, double[] EnergyDrift, double[] Angle1);

/// <summary>Both models and the truth of the first rollout.</summary>
public sealed record PendulumResult(IReadOnlyList<PendulumModelResult> Models, double[] Times, double[] TrueEnergyDrift, double[] TrueAngle1);

/// <summary>
/// Cranmer et al. 2020, §6 (double pendulum): an LNN and a baseline network, both fitted to the true accelerations of
/// random states (full batch, Adam), then rolled out from rest with the same fixed-step RK4 as the truth; the energy of
/// each rollout is the true energy E = T + V evaluated along it.
/// </summary>
public static class PendulumExperiment
{
    const double G = 9.8;

    /// <summary>Runs the experiment, writes results.csv and the PNGs, and returns the results.</summary>
    public static PendulumResult Run(PendulumOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        log ??= _ => { };
        Directory.CreateDirectory(options.OutputDirectory);
        torch.set_num_threads(1); // small tensors: more threads only contend on a shared machine
        using var scope = NewDisposeScope();
        var rng = new Random((int)options.Seed);
        var truth = new TrueDoublePendulum(ModelOptions.Float64());
        var (trainX, trainA) = Sample(truth, options.TrainPoints, rng);
        var (testX, testA) = Sample(truth, options.TestPoints, rng);

        // Released from rest at moderate angles; the same RK4 grid for every system.
        var y0 = tensor(Enumerable.Range(0, options.RolloutStates).SelectMany(_ => new[] { 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 0.0, 0.0 }).ToArray(),
            [options.RolloutStates, 4], float64);
        int points = (int)System.Math.Round(options.RolloutEnd / options.RolloutStep) + 1;
        var times = linspace(0, options.RolloutEnd, points, dtype: float64);
        var trueRollout = Rollout(truth, y0, times, options);
        var trueDrift = EnergyDrift(trueRollout);

        var modelOptions = new ModelOptions { DType = ScalarType.Float64, Seed = options.Seed };
        var results = new List<PendulumModelResult>();
        foreach (OdeModel model in new OdeModel[] { new Lnn(modelOptions), new AccelerationNet(modelOptions) })
        {
            var name = model is Lnn ? "LNN" : "baseline";
            log($"training {name} ({model.parameters().Sum(p => p.numel())} parameters, {options.Steps} full-batch Adam steps on {options.TrainPoints} states)");
            var clock = Stopwatch.StartNew();
            var loss = Train(model, trainX, trainA, options);
            clock.Stop();
            log($"rolling {name} out to t = {options.RolloutEnd}");
            var rollout = Rollout(model, y0, times, options);
            var drift = EnergyDrift(rollout);
            var result = new PendulumModelResult(name, (int)model.parameters().Sum(p => p.numel()), Mse(model, trainX, trainA), Mse(model, testX, testA),
                rollout.sub(trueRollout).square().mean().ToDouble(), drift.max(0).values.mean().ToDouble(), drift[-1].mean().ToDouble(),
                model is Lnn lnn ? LearnedEnergyDrift(lnn, rollout.select(1, 0)) : double.NaN, clock.Elapsed.TotalSeconds, loss, drift.select(1, 0).data<double>().ToArray(), rollout.select(1, 0).select(1, 0).data<double>().ToArray());
            log($"{name}: test MSE {result.TestMse:E3}, trajectory MSE {result.TrajectoryMse:E3}, max |ΔE| {result.MaxEnergyDrift:E3} ({result.TrainSeconds:0.0} s)");
            results.Add(result);
        }
        var experiment = new PendulumResult(results, times.data<double>().ToArray(), trueDrift.select(1, 0).data<double>().ToArray(),
            trueRollout.select(1, 0).select(1, 0).data<double>().ToArray());
        Save(options, experiment);
        return experiment;
    }

    // States q ∈ [−π/2, π/2]², q̇ ∈ [−2, 2]² and their true accelerations [n, 2].
    static (Tensor X, Tensor Acceleration) Sample(OdeModel truth, int n, Random rng)
    {
        var x = tensor(Enumerable.Range(0, n).SelectMany(_ => new[]
        {
            System.Math.PI * (rng.NextDouble() - 0.5), System.Math.PI * (rng.NextDouble() - 0.5), 4 * rng.NextDouble() - 2, 4 * rng.NextDouble() - 2,
        }).ToArray(), [n, 4], float64);
        using var noGrad = no_grad();
        return (x, truth.Rates(tensor(0.0, float64), x).narrow(1, 2, 2));
    }

    static double[] Train(OdeModel model, Tensor x, Tensor target, PendulumOptions options)
    {
        var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate);
        var losses = new double[options.Steps];
        using var t0 = tensor(0.0, float64);
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Rates(t0, x).narrow(1, 2, 2).sub(target).square().mean();
            loss.backward();
            optimizer.step();
            losses[step] = loss.ToDouble();
        }
        return losses;
    }

    static double Mse(OdeModel model, Tensor x, Tensor target)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.Rates(tensor(0.0, float64), x).narrow(1, 2, 2).sub(target).square().mean().ToDouble();
    }

    static Tensor Rollout(IOdeSystem system, Tensor y0, Tensor times, PendulumOptions options)
    {
        using var noGrad = no_grad();
        return Ode.Solve(system, y0, times, Solvers.Rk4, new SolverOptions { StepSize = options.RolloutStep }).Ys;
    }

    // |E(t) − E(0)| of the true energy (unit masses and lengths) along a rollout [T, batch, 4], as [T, batch].
    static Tensor EnergyDrift(Tensor y)
    {
        var (q1, q2, w1, w2) = (y.select(2, 0), y.select(2, 1), y.select(2, 2), y.select(2, 3));
        var kinetic = w1.square().add(w2.square().mul(0.5)).add(w1.mul(w2).mul(q1.sub(q2).cos()));
        var potential = q1.cos().mul(-2 * G).sub(q2.cos().mul(G));
        var energy = kinetic.add(potential);
        return energy.sub(energy[0]).abs();
    }

    // E = Σ q̇ᵢ ∂L/∂q̇ᵢ − L of the LNN's own scalar Lagrangian, with ∂L/∂q̇ᵢ by central differences (h = 1e-5: error ~1e-10).
    static double LearnedEnergyDrift(Lnn model, Tensor trajectory)
    {
        var states = trajectory.contiguous().data<double>().ToArray();
        double Energy(double[] y)
        {
            const double h = 1e-5;
            double energy = -model.ScalarLagrangian(0, y);
            for (int i = 2; i < 4; i++)
            {
                var plus = (double[])y.Clone();
                var minus = (double[])y.Clone();
                plus[i] += h;
                minus[i] -= h;
                energy += y[i] * (model.ScalarLagrangian(0, plus) - model.ScalarLagrangian(0, minus)) / (2 * h);
            }
            return energy;
        }
        double e0 = Energy(states[..4]);
        return Enumerable.Range(0, states.Length / 4).Max(k => System.Math.Abs(Energy(states[(4 * k)..(4 * k + 4)]) - e0));
    }

    static void Save(PendulumOptions options, PendulumResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        string R(double v) => v.ToString("R", inv);
        var lines = new List<string> { "model,parameters,train_acceleration_mse,test_acceleration_mse,trajectory_mse,max_energy_drift,final_energy_drift,learned_energy_drift,train_seconds" };
        lines.AddRange(r.Models.Select(m => string.Join(',', m.Model, m.Parameters, R(m.TrainMse), R(m.TestMse), R(m.TrajectoryMse),
            R(m.MaxEnergyDrift), R(m.FinalEnergyDrift), double.IsNaN(m.LearnedEnergyDrift) ? "" : R(m.LearnedEnergyDrift), m.TrainSeconds.ToString("0.0", inv))));
        File.WriteAllLines(Path.Combine(options.OutputDirectory, "results.csv"), lines);

        string Png(string name) => Path.Combine(options.OutputDirectory, name);
        var floor = 1e-16; // |ΔE| is exactly 0 at t = 0; a log axis needs a positive floor
        Charts.SaveLines(Png("energy.png"), "|E(t) − E(0)| of the true energy along the first rollout (RK4, h = " + options.RolloutStep.ToString(inv) + ")", "t", "|ΔE|",
            new[] { new Series("truth (RK4 error only)", r.Times, r.TrueEnergyDrift.Select(v => System.Math.Max(v, floor)).ToArray(), SeriesStyle.Dashed, 0) }
                .Concat(r.Models.Select((m, i) => new Series(m.Model, r.Times, m.EnergyDrift.Select(v => System.Math.Max(v, floor)).ToArray(), SeriesStyle.Line, i + 1))),
            logY: true);
        Charts.SaveLines(Png("trajectory.png"), "First angle q1 along the first rollout", "t", "q1",
            new[] { new Series("truth", r.Times, r.TrueAngle1, SeriesStyle.Dashed, 0) }
                .Concat(r.Models.Select((m, i) => new Series(m.Model, r.Times, m.Angle1, SeriesStyle.Line, i + 1))));
        Charts.SaveLines(Png("loss.png"), "Training loss (acceleration MSE)", "Adam step", "MSE",
            r.Models.Select((m, i) => new Series(m.Model, Enumerable.Range(1, m.Loss.Length).Select(k => (double)k).ToArray(), m.Loss, SeriesStyle.Line, i + 1)),
            logY: true);
    }
}
