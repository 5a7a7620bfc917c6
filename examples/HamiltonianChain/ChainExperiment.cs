using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HamiltonianChain;

/// <summary>One formulation fitted to the data.</summary>
/// <param name="Formulation">"vec" (Vec coordinates), "scalar pairs", or "vec ODE" (hand-written forces, no energy).</param>
/// <param name="SecondsPerEpoch">Median wall-clock time of an epoch (the median ignores the first epoch's warm-up).</param>
public sealed record FitResult(string Formulation, double K, double Beta, double InitialLoss, double FinalLoss, double SecondsPerEpoch,
    double TotalSeconds, IReadOnlyList<EpochMetrics> History);

/// <summary>Time of one batched Rates call and one Rates + VJP call of a formulation.</summary>
public sealed record CallTiming(string Formulation, int Batch, double RatesMicroseconds, double VjpMicroseconds);

/// <summary>A long rollout of the fitted Vec model with one solver.</summary>
/// <param name="TrajectoryRmse">RMS difference from the true chain over every output time and component.</param>
/// <param name="ShortRmse">The same over the first 20 s (before the fitted parameters' small error has shifted the phases).</param>
/// <param name="MaxEnergyDrift">max over t of |H(t) − H(0)| / H(0), H the fitted model's own energy (its flow's invariant).</param>
public sealed record RolloutResult(string Solver, double Step, long FunctionEvaluations, double TrajectoryRmse, double ShortRmse, double MaxEnergyDrift,
    double FinalEnergyDrift, double Seconds, double[] EnergyDriftCurve, double[] FirstMass);

/// <summary>Everything the example measured.</summary>
public sealed record ChainResult(FitResult Vec, FitResult Scalar, FitResult VecOde, double InitialRateDifference, IReadOnlyList<CallTiming> Calls,
    double[] RolloutTimes, double[] TrueFirstMass, IReadOnlyList<RolloutResult> Rollouts, double TrueK, double TrueBeta);

/// <summary>
/// Fits the FPU-β chain's k and β with the model written over Vec coordinates, as 8 scalar pairs, and as a plain Vec ODE
/// with hand-written forces (same data, seed, solver and optimizer, so they differ only in the generated code), times
/// them, then rolls the fitted Vec model out far beyond the data with each solver.
/// </summary>
public static class ChainExperiment
{
    const int Masses = 8;
    const double TrueK = 1.0, TrueBeta = 2.0;   // FpuChain's constants

    /// <summary>Runs the example, writes results.csv, rollouts.csv and the PNGs, and returns the measurements.</summary>
    public static ChainResult Run(ChainOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        log ??= _ => { };
        Directory.CreateDirectory(options.OutputDirectory);
        // One intra-op thread: small tensors, and more threads only contend on a shared machine.
        torch.set_num_threads(1);
        using var scope = NewDisposeScope();
        var rng = new Random(unchecked((int)options.Seed));
        using var truth = new FpuChain(ModelOptions.Float64());

        log($"data: {options.Trajectories} trajectories of the FPU-β chain (k = {TrueK}, β = {TrueBeta}), {options.PointsPerTrajectory} points on [0, {options.DataEnd}] s, noise σ = {options.Noise}");
        var data = Data(truth, options, rng);

        var difference = InitialRateDifference(options.Seed);
        log($"the three formulations' rates agree to {difference:E1} before training");
        var scalar = Fit("scalar pairs", new ScalarChain(ModelOptions.Float64(options.Seed)), data, options, log);
        var vecModel = new VecChain(ModelOptions.Float64(options.Seed));
        var vec = Fit("vec", vecModel, data, options, log);
        var ode = Fit("vec ODE", new VecChainOde(ModelOptions.Float64(options.Seed)), data, options, log);

        log($"timing {options.TimedCalls} Rates and Rates + VJP calls per formulation");
        var calls = new List<CallTiming>();
        foreach (int batch in new[] { 16, 256 })
        {
            calls.Add(TimeCalls("scalar pairs", new ScalarChain(ModelOptions.Float64(options.Seed)), batch, options.TimedCalls));
            calls.Add(TimeCalls("vec", new VecChain(ModelOptions.Float64(options.Seed)), batch, options.TimedCalls));
            calls.Add(TimeCalls("vec ODE", new VecChainOde(ModelOptions.Float64(options.Seed)), batch, options.TimedCalls));
        }

        log($"rollouts of the fitted Vec model to t = {options.RolloutEnd} s ({string.Join(", ", options.RolloutSolvers)})");
        var (times, trueFirst, rollouts) = Rollouts(truth, vecModel, options, rng);
        var result = new ChainResult(vec, scalar, ode, difference, calls, times, trueFirst, rollouts, TrueK, TrueBeta);
        ChainReport.Save(options.OutputDirectory, result);
        return result;
    }

    static TrajectoryDataset Data(FpuChain truth, ChainOptions options, Random rng)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var y0 = RandomStates(rng, options.Trajectories);
        var times = linspace(0, options.DataEnd, options.PointsPerTrajectory, dtype: ScalarType.Float64);
        var ys = Ode.Solve(truth, y0, times, Solvers.Dopri8, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 }).Ys;
        var noisy = ys + options.Noise * randn(ys.shape, dtype: ScalarType.Float64, generator: new Generator((ulong)options.Seed + 1));
        return TrajectoryDataset.FromTensors(times, noisy, truth.Layout.ComponentNames);
    }

    // Displacements and momenta of order 0.5: the quartic term is then comparable to the quadratic one (β d⁴/4 vs k d²/2).
    static Tensor RandomStates(Random rng, int count)
    {
        var values = Enumerable.Range(0, count * 2 * Masses).Select(_ => 0.6 * (2 * rng.NextDouble() - 1)).ToArray();
        return tensor(values, new long[] { count, 2 * Masses }, ScalarType.Float64);
    }

    // The three formulations are the same function: the largest difference of their rates from the Vec Hamiltonian's at
    // random states, before training (equal k and β).
    static double InitialRateDifference(long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var vec = new VecChain(ModelOptions.Float64(seed));
        using var scalar = new ScalarChain(ModelOptions.Float64(seed));
        using var ode = new VecChainOde(ModelOptions.Float64(seed));
        var y = RandomStates(new Random(42), 64);
        var t = tensor(0.0, ScalarType.Float64);
        var reference = vec.Rates(t, y);
        return System.Math.Max((reference - scalar.Rates(t, y)).abs().max().item<double>(), (reference - ode.Rates(t, y)).abs().max().item<double>());
    }

    static FitResult Fit(string name, OdeModel model, TrajectoryDataset data, ChainOptions options, Action<string> log)
    {
        log($"fitting k and β, written as {name} ({options.Epochs} epochs)");
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = options.Epochs,
            Seed = options.Seed,
            Solver = Solvers.Rk4,
            SolverOptions = new SolverOptions { StepSize = options.TrainStep },
            Sampler = new WindowSampler { BatchSize = System.Math.Min(16, data.Count), BatchesPerEpoch = 2, MinPoints = 2, MaxPoints = 11 },
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
        });
        var clock = Stopwatch.StartNew();
        var fit = trainer.Fit(data);
        clock.Stop();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.item<double>());
        var seconds = fit.History.Select(h => h.Seconds).Order().ToArray();
        var result = new FitResult(name, parameters["k"], parameters["beta"], fit.History[0].Loss, fit.History[^1].Loss, seconds[seconds.Length / 2],
            clock.Elapsed.TotalSeconds, fit.History);
        log($"{name}: k = {result.K:0.0000}, β = {result.Beta:0.0000}, loss {result.InitialLoss:E2} → {result.FinalLoss:E2}, {result.SecondsPerEpoch * 1000:0.0} ms per epoch");
        return result;
    }

    static CallTiming TimeCalls(string name, OdeModel model, int batch, int calls)
    {
        using var scope = NewDisposeScope();
        var y = RandomStates(new Random(7), batch);
        var a = RandomStates(new Random(8), batch);
        var t = tensor(0.0, ScalarType.Float64);
        var vjp = (IRatesVjp)model;
        double Time(Action call)
        {
            for (int i = 0; i < calls / 10; i++) call();    // warm-up
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) call();
            return clock.Elapsed.TotalMilliseconds * 1000 / calls;
        }
        double rates = Time(() =>
        {
            using var inner = NewDisposeScope();
            using var noGrad = no_grad();
            model.Rates(t, y);
        });
        double both = Time(() =>
        {
            using var inner = NewDisposeScope();
            vjp.Vjp(t, y, a);
        });
        model.Dispose();
        return new CallTiming(name, batch, rates, both);
    }

    static (double[] Times, double[] TrueFirstMass, IReadOnlyList<RolloutResult>) Rollouts(FpuChain truth, VecChain model, ChainOptions options, Random rng)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var y0 = RandomStates(rng, 1);
        int points = (int)System.Math.Round(options.RolloutEnd / 0.5) + 1;
        var times = linspace(0, options.RolloutEnd, points, dtype: ScalarType.Float64);
        var exact = Ode.Solve(truth, y0, times, Solvers.Dopri8, new SolverOptions { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-13, MaxSteps = 10_000_000 }).Ys;
        var results = new List<RolloutResult>();
        foreach (var name in options.RolloutSolvers)
        {
            using var inner = NewDisposeScope();
            var solver = Solvers.ByName(name);
            var solverOptions = solver.IsAdaptive
                ? new SolverOptions { RelativeTolerance = options.RolloutTolerance, AbsoluteTolerance = options.RolloutTolerance * 1e-2, MaxSteps = 10_000_000 }
                : new SolverOptions { StepSize = options.RolloutStep, MaxSteps = 10_000_000 };
            var clock = Stopwatch.StartNew();
            var solution = Ode.Solve(model, y0, times, solver, solverOptions);
            clock.Stop();
            var ys = solution.Ys;                                      // [T, 1, 16]
            double rmse = (ys - exact).square().mean().sqrt().item<double>();
            int early = (int)System.Math.Min(points, System.Math.Round(20 / 0.5) + 1);
            double shortRmse = (ys[..early] - exact[..early]).square().mean().sqrt().item<double>();
            var h = model.Energies(times[0], ys.squeeze(1)).squeeze(1);  // [T]
            var drift = (h - h[0]).abs() / h[0].abs();
            results.Add(new RolloutResult(name, solver.IsAdaptive ? double.NaN : options.RolloutStep, solution.Stats.FunctionEvaluations, rmse, shortRmse,
                drift.max().item<double>(), drift[-1].item<double>(), clock.Elapsed.TotalSeconds, drift.data<double>().ToArray(),
                ys.select(1, 0).select(1, 0).contiguous().data<double>().ToArray()));
        }
        return (times.data<double>().ToArray(), exact.select(1, 0).select(1, 0).contiguous().data<double>().ToArray(), results);
    }
}
