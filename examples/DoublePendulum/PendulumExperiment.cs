using NodeDsl.Runtime.Training;
using System.Diagnostics;
using System.Globalization;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Plotting;
using TorchSharp;
using static TorchSharp.torch;

namespace DoublePendulum;

/// <summary>One trained model's metrics.</summary>
/// <param name="Fitted">What the model was fitted to: the accelerations q̈ (LNN, baseline) or the canonical rates (q', p') (HNN).</param>
/// <param name="Solver">The rollout solver.</param>
/// <param name="TrainMse">MSE of the fitted quantity on the training states.</param>
/// <param name="TestMse">MSE of the fitted quantity on the test states.</param>
/// <param name="TrajectoryMse">State MSE of the rollouts against the true rollouts.</param>
/// <param name="MaxEnergyDrift">Largest |E(t) − E(0)| of the true energy along the model's rollouts (mean over rollouts).</param>
/// <param name="FinalEnergyDrift">|E(T) − E(0)| at the end of the rollouts (mean over rollouts).</param>
/// <param name="LearnedEnergyDrift">
/// The largest drift of the model's own energy along its first rollout — E = q̇·∂L/∂q̇ − L for the LNN, its H for the
/// HNN — which its exact flow conserves, so only the solver's error remains; NaN for the baseline, which has no energy.
/// </param>
public sealed record PendulumModelResult(string Model, string Fitted, string Solver, int Parameters, double TrainMse, double TestMse, double TrajectoryMse,
    double MaxEnergyDrift, double FinalEnergyDrift, double LearnedEnergyDrift, double TrainSeconds, double[] Loss, double[] EnergyDrift, double[] Angle1);

/// <summary>The three models and the truth of the first rollout.</summary>
public sealed record PendulumResult(IReadOnlyList<PendulumModelResult> Models, double[] Times, double[] TrueEnergyDrift, double[] TrueAngle1);

/// <summary>
/// Cranmer et al. 2020, §6 (double pendulum): an LNN and a baseline network fitted to the true accelerations of random
/// states, and an HNN fitted to the true canonical rates (q' = ∂H/∂p, p' = −∂H/∂q = ∂L/∂q) of the same states in
/// (q, p = M(q) q̇), all full batch with Adam. The LNN and the baseline are rolled out from rest with the same fixed-step
/// RK4 as the truth, the HNN with the implicit midpoint rule (symplectic for any H; docs/solvers.md) at the same step;
/// its rollout is mapped back to (q, q̇ = M(q)⁻¹ p). The energy of each rollout is the true E = T + V along it.
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
        var trueRollout = Rollout(truth, y0, times, Solvers.Rk4, options);
        var trueDrift = EnergyDrift(trueRollout);

        var modelOptions = new ModelOptions { DType = ScalarType.Float64, Seed = options.Seed };
        var results = new List<PendulumModelResult>();
        foreach (OdeModel model in new OdeModel[] { new Lnn(modelOptions), new AccelerationNet(modelOptions), new Hnn(modelOptions) })
        {
            var (name, fitted, solver) = model switch
            {
                Lnn => ("LNN", "accelerations", "rk4"),
                Hnn => ("HNN", "canonical rates", "implicitmidpoint"),
                _ => ("baseline", "accelerations", "rk4"),
            };
            // The HNN lives in (q, p): its inputs and targets are the canonical states and rates; the others' are (q, q̇) and q̈.
            var (trainIn, trainOut, testIn, testOut, columns) = model is Hnn
                ? (Canonical(trainX), CanonicalRates(trainX), Canonical(testX), CanonicalRates(testX), (0, 4))
                : (trainX, trainA, testX, testA, (2, 2));
            log($"training {name} ({model.parameters().Sum(p => p.numel())} parameters, {options.Steps} full-batch Adam steps on {options.TrainPoints} states)");
            var clock = Stopwatch.StartNew();
            var loss = Train(model, trainIn, trainOut, columns, options);
            clock.Stop();
            log($"rolling {name} out to t = {options.RolloutEnd} ({solver})");
            var rollout = model is Hnn
                ? Velocities(Rollout(model, Canonical(y0), times, Solvers.ByName(solver), options))
                : Rollout(model, y0, times, Solvers.ByName(solver), options);
            var drift = EnergyDrift(rollout);
            double ownDrift = model switch
            {
                Lnn lnn => LearnedEnergyDrift(lnn, rollout.select(1, 0)),
                Hnn hnn => HamiltonianDrift(hnn, Canonical(rollout.select(1, 0))),
                _ => double.NaN,
            };
            var result = new PendulumModelResult(name, fitted, solver, (int)model.parameters().Sum(p => p.numel()),
                Mse(model, trainIn, trainOut, columns), Mse(model, testIn, testOut, columns),
                rollout.sub(trueRollout).square().mean().ToDouble(), drift.max(0).values.mean().ToDouble(), drift[-1].mean().ToDouble(),
                ownDrift, clock.Elapsed.TotalSeconds, loss, drift.select(1, 0).data<double>().ToArray(), rollout.select(1, 0).select(1, 0).data<double>().ToArray());
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

    // The canonical momenta p = M(q) q̇ of unit masses and lengths: M = [[2, cos Δ], [cos Δ, 1]], Δ = q1 − q2 (x is [.., 4]).
    static Tensor Canonical(Tensor x)
    {
        var (q1, q2, w1, w2) = (x.select(-1, 0), x.select(-1, 1), x.select(-1, 2), x.select(-1, 3));
        var c = q1.sub(q2).cos();
        return stack([q1, q2, w1.mul(2).add(c.mul(w2)), c.mul(w1).add(w2)], -1);
    }

    // q̇ = M(q)⁻¹ p, det M = 2 − cos²Δ ≥ 1: the inverse of Canonical.
    static Tensor Velocities(Tensor y)
    {
        var (q1, q2, p1, p2) = (y.select(-1, 0), y.select(-1, 1), y.select(-1, 2), y.select(-1, 3));
        var c = q1.sub(q2).cos();
        var det = c.square().neg().add(2);
        return stack([q1, q2, p1.sub(c.mul(p2)).div(det), p2.mul(2).sub(c.mul(p1)).div(det)], -1);
    }

    // The true canonical rates (q', p') at states (q, q̇): q' = q̇ and, by Euler–Lagrange, p' = ∂L/∂q:
    // ∂L/∂q1 = −q̇1 q̇2 sin Δ − 2 g sin q1, ∂L/∂q2 = q̇1 q̇2 sin Δ − g sin q2.
    static Tensor CanonicalRates(Tensor x)
    {
        var (q1, q2, w1, w2) = (x.select(-1, 0), x.select(-1, 1), x.select(-1, 2), x.select(-1, 3));
        var coupling = w1.mul(w2).mul(q1.sub(q2).sin());
        return stack([w1, w2, coupling.neg().sub(q1.sin().mul(2 * G)), coupling.sub(q2.sin().mul(G))], -1);
    }

    static double[] Train(OdeModel model, Tensor x, Tensor target, (int Start, int Length) columns, PendulumOptions options)
    {
        var optimizer = OptimizerSettings.Adam(options.LearningRate).Create(model.parameters());
        var losses = new double[options.Steps];
        using var t0 = tensor(0.0, float64);
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Rates(t0, x).narrow(1, columns.Start, columns.Length).sub(target).square().mean();
            loss.backward();
            optimizer.step();
            losses[step] = loss.ToDouble();
        }
        return losses;
    }

    static double Mse(OdeModel model, Tensor x, Tensor target, (int Start, int Length) columns)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.Rates(tensor(0.0, float64), x).narrow(1, columns.Start, columns.Length).sub(target).square().mean().ToDouble();
    }

    static Tensor Rollout(IOdeSystem system, Tensor y0, Tensor times, IOdeSolver solver, PendulumOptions options)
    {
        using var noGrad = no_grad();
        return Ode.Solve(system, y0, times, solver, new SolverOptions { StepSize = options.RolloutStep }).Ys;
    }

    // The largest |H(t) − H(0)| of the HNN's own Hamiltonian along a canonical trajectory [T, 4].
    static double HamiltonianDrift(Hnn model, Tensor trajectory)
    {
        using var noGrad = no_grad();
        var h = model.Energies(tensor(0.0, float64), trajectory);
        return h.sub(h[0]).abs().max().ToDouble();
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
        var lines = new List<string> { "model,fitted,solver,parameters,train_mse,test_mse,trajectory_mse,max_energy_drift,final_energy_drift,learned_energy_drift,train_seconds" };
        lines.AddRange(r.Models.Select(m => string.Join(',', m.Model, m.Fitted, m.Solver, m.Parameters, R(m.TrainMse), R(m.TestMse), R(m.TrajectoryMse),
            R(m.MaxEnergyDrift), R(m.FinalEnergyDrift), double.IsNaN(m.LearnedEnergyDrift) ? "" : R(m.LearnedEnergyDrift), m.TrainSeconds.ToString("0.0", inv))));
        File.WriteAllLines(Path.Combine(options.OutputDirectory, "results.csv"), lines);

        string Png(string name) => Path.Combine(options.OutputDirectory, name);
        var floor = 1e-16; // |ΔE| is exactly 0 at t = 0; a log axis needs a positive floor
        Charts.SaveLines(Png("energy.png"), "|E(t) − E(0)| of the true energy along the first rollout (h = " + options.RolloutStep.ToString(inv) + ")", "t", "|ΔE|",
            new[] { new Series("truth (RK4 error only)", r.Times, r.TrueEnergyDrift.Select(v => System.Math.Max(v, floor)).ToArray(), SeriesStyle.Dashed, 0) }
                .Concat(r.Models.Select((m, i) => new Series(m.Model, r.Times, m.EnergyDrift.Select(v => System.Math.Max(v, floor)).ToArray(), SeriesStyle.Line, i + 1))),
            logY: true);
        Charts.SaveLines(Png("trajectory.png"), "First angle q1 along the first rollout", "t", "q1",
            new[] { new Series("truth", r.Times, r.TrueAngle1, SeriesStyle.Dashed, 0) }
                .Concat(r.Models.Select((m, i) => new Series(m.Model, r.Times, m.Angle1, SeriesStyle.Line, i + 1))));
        Charts.SaveLines(Png("loss.png"), "Training loss (MSE of the accelerations; the HNN's of its canonical rates)", "Adam step", "MSE",
            r.Models.Select((m, i) => new Series(m.Model, Enumerable.Range(1, m.Loss.Length).Select(k => (double)k).ToArray(), m.Loss, SeriesStyle.Line, i + 1)),
            logY: true);
    }
}
