using System.Diagnostics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HamiltonianNN;

/// <summary>One trained model's metrics on one task.</summary>
/// <param name="TrainMse">Derivative MSE on the training points (noisy inputs, clean targets).</param>
/// <param name="TestMse">Derivative MSE on the test points.</param>
/// <param name="EnergyMse">Greydanus' energy MSE over the rollouts from the test initial states.</param>
/// <param name="StateMse">Mean squared state error of the rollouts.</param>
/// <param name="History">Loss curves.</param>
public sealed record ModelMetrics(string Task, string Model, double InitialLoss, double TrainMse, double TestMse, double EnergyMse, double StateMse,
    double TrainSeconds, LossHistory History);

/// <summary>Both models on one task, their rollouts from the test states, and the solver energy study.</summary>
public sealed record TaskResult(string Task, ModelMetrics Baseline, ModelMetrics Hnn, double[] RolloutTimes, double[,,] Truth, double[,,] BaselineRollout,
    double[,,] HnnRollout, double[,] TrueEnergy, double[,] BaselineEnergy, double[,] HnnEnergy, double[,,] TrainClean, IReadOnlyList<SolverEnergyResult> Solvers);

/// <summary>
/// Greydanus, Dzamba &amp; Yosinski, "Hamiltonian Neural Networks" (NeurIPS 2019), tasks 1 and 2: an HNN and a baseline
/// network trained on derivative targets, then rolled out from test initial states; plus the solvers' energy behaviour.
/// </summary>
public static class HnnExperiment
{
    /// <summary>Runs every task of <paramref name="options"/>, writes the PNGs and CSV files, and returns the results.</summary>
    public static IReadOnlyList<TaskResult> Run(HnnOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.OutputDirectory);
        // One intra-op thread: small tensors, and more threads only contend on a shared machine.
        torch.set_num_threads(1);
        var results = new List<TaskResult>();
        foreach (var name in options.Tasks)
        {
            var task = name switch
            {
                "spring" => HamiltonianTask.Spring(),
                "pendulum" => HamiltonianTask.Pendulum(),
                _ => throw new ArgumentException($"Unknown task '{name}'; use 'spring' or 'pendulum'.", nameof(options)),
            };
            results.Add(RunTask(task, options, log ?? (_ => { })));
        }
        HnnReport.Save(options.OutputDirectory, results);
        return results;
    }

    static TaskResult RunTask(HamiltonianTask task, HnnOptions options, Action<string> log)
    {
        using var scope = NewDisposeScope();
        var data = HnnData.Make(task, options);
        // Training in float32 as in the paper's PyTorch code; rollouts and the solver study in float64.
        var (trainX, trainDx, testX, testDx) = data.As(ScalarType.Float32);
        var modelOptions = new ModelOptions { DType = ScalarType.Float32, Seed = options.Seed };
        var baseline = new BaselineNet(modelOptions);
        var hnn = new Hnn(modelOptions);

        var times = linspace(0, options.RolloutEnd, options.RolloutPoints, dtype: ScalarType.Float64);
        var truth = Rollouts.Solve(task.Truth, data.TestInitialStates, times);
        var (baselineMetrics, baselineRollout) = TrainAndRoll(task, "baseline", baseline, (trainX, trainDx, testX, testDx), data, times, truth, options, log);
        var (hnnMetrics, hnnRollout) = TrainAndRoll(task, "hnn", hnn, (trainX, trainDx, testX, testDx), data, times, truth, options, log);

        log($"{task.Name}: energy-drift study ({string.Join(", ", options.DriftSolvers)}; h = {options.DriftStep}, T = {options.DriftEnd})");
        var y0 = data.TestInitialStates;
        var solvers = SolverEnergyStudy.Run(task.Name, "true", task.Truth, task.Energy, y0, options)
            .Concat(SolverEnergyStudy.Run(task.Name, "hnn", hnn, y => hnn.Energies(tensor(0.0, ScalarType.Float64), y), y0, options)).ToArray();

        return new TaskResult(task.Name, baselineMetrics, hnnMetrics, times.data<double>().ToArray(), Host(truth), Host(baselineRollout), Host(hnnRollout),
            Host2(Rollouts.TrueEnergy(task, truth)), Host2(Rollouts.TrueEnergy(task, baselineRollout)), Host2(Rollouts.TrueEnergy(task, hnnRollout)),
            Host(data.TrainClean), solvers);
    }

    static (ModelMetrics, Tensor) TrainAndRoll(HamiltonianTask task, string name, OdeModel model, (Tensor X, Tensor Dx, Tensor TestX, Tensor TestDx) d,
        HnnData data, Tensor times, Tensor truth, HnnOptions options, Action<string> log)
    {
        log($"{task.Name}: training {name} ({options.Steps} full-batch Adam steps on {d.X.shape[0]} points)");
        double initial = DerivativeTraining.Evaluate(model, d.X, d.Dx);
        var clock = Stopwatch.StartNew();
        var history = DerivativeTraining.Fit(model, d.X, d.Dx, d.TestX, d.TestDx, options);
        clock.Stop();
        double trainMse = DerivativeTraining.Evaluate(model, d.X, d.Dx), testMse = DerivativeTraining.Evaluate(model, d.TestX, d.TestDx);
        model.to(ScalarType.Float64);
        var rollout = Rollouts.Solve(model, data.TestInitialStates, times);
        var metrics = new ModelMetrics(task.Name, name, initial, trainMse, testMse, Rollouts.EnergyMse(task, rollout, truth), Rollouts.StateMse(rollout, truth),
            clock.Elapsed.TotalSeconds, history);
        log($"{task.Name}: {name} train MSE {trainMse:E3}, test MSE {testMse:E3}, energy MSE {metrics.EnergyMse:E3} ({clock.Elapsed.TotalSeconds:0.0} s)");
        return (metrics, rollout);
    }

    static double[,,] Host(Tensor x)
    {
        using var cpu = x.detach().to(ScalarType.Float64, CPU).contiguous();
        var flat = cpu.data<double>().ToArray();
        var result = new double[x.shape[0], x.shape[1], x.shape[2]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    static double[,] Host2(Tensor x)
    {
        using var cpu = x.detach().to(ScalarType.Float64, CPU).contiguous();
        var flat = cpu.data<double>().ToArray();
        var result = new double[x.shape[0], x.shape[1]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
