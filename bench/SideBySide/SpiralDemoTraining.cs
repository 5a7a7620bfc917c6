using System.Diagnostics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.SideBySide;

/// <summary>
/// The demo's training loop on the NodeDsl side: per iteration zero the gradients, solve the 20 windows on
/// <c>t[:10]</c> with <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?, GradientMethod)"/>,
/// mean absolute error, backward, RMSprop step, read the loss (one host sync, as torchdiffeq's <c>loss.item()</c>).
/// Measures wall time and the process's CPU time (all its threads, so GC and JIT count against NodeDsl): on a loaded
/// machine CPU time is the steadier of the two.
/// </summary>
public static class SpiralDemoTraining
{
    const int Window = 10;
    const double LearningRate = 1e-3;

    /// <summary>Trains a fresh model from the setup's weights and measures the timed iterations.</summary>
    /// <param name="setup">Truth, window starts and initial weights.</param>
    /// <param name="config">Solver, gradient method, dtype, tolerances and iteration counts.</param>
    /// <param name="modelOptions">Model options for the dtype.</param>
    /// <param name="backend">The backend every solve runs on.</param>
    public static TrainingMeasurement Run(SideBySideSetup setup, TrainingConfig config, ModelOptions modelOptions, Backend backend)
    {
        var dtype = modelOptions.DType;
        var solver = Solvers.ByName(config.Solver);
        double spacing = setup.Times[^1] / (setup.Times.Length - 1);
        var options = solver.IsAdaptive
            ? new SolverOptions { RelativeTolerance = config.RelativeTolerance, AbsoluteTolerance = config.AbsoluteTolerance, Backend = backend }
            : new SolverOptions { StepSize = spacing, Backend = backend };
        // "default": the options' shorthand (NodeDsl's default controller, PI.3.4); "pi": PI.3.4 given explicitly; "startup":
        // the I controller until the first error norm ≥ 0.1 (or the norm after "startup:"), PI.3.4 after it; "i": the
        // elementary controller throughout, as torchdiffeq's (safety 0.9, factors 0.2–10).
        var (kind, startupNorm) = config.Controller.Split(':') is [var k, var v]
            ? (k, double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)) : (config.Controller, 0.1);
        var controller = !solver.IsAdaptive || kind == "default" ? null : kind switch
        {
            "pi" => PIController.FromOptions(options),
            "startup" => PIController.FromOptions(options) with { StartupErrorNorm = startupNorm },
            "i" => PIController.FromOptions(options) with { ProportionalCoefficient = 0, IntegralCoefficient = 1 },
            _ => throw new ArgumentException($"Unknown controller '{config.Controller}': use default, pi, startup[:norm] or i."),
        };
        // The controller owns the tolerances (PIController.FromOptions copied them), so the shorthand goes back to its default.
        if (controller is not null) options = new SolverOptions { StepSizeController = controller, Backend = backend };
        // The trace wraps the controller the solve would use: for the explicit methods of this driver that is the options'
        // controller with the start-up phase (StepControl.For), which a constructed PIController lacks unless it is set.
        var traced = controller ?? (solver.IsAdaptive ? PIController.FromOptions(options) with { StartupErrorNorm = PIController.DefaultStartupErrorNorm } : null);
        var gradient = config.Gradient switch
        {
            "direct" => GradientMethod.Direct,
            "backsolve" => GradientMethod.Backsolve(),
            "checkpointed" => GradientMethod.Checkpointed(),
            _ => throw new ArgumentException($"Unknown gradient method '{config.Gradient}': use direct, backsolve or checkpointed."),
        };

        using var runScope = NewDisposeScope();
        var model = new SpiralDemoNode(modelOptions);
        LoadWeights(model, setup.Weights);
        // NODEDSL_SBS_DIRECT=autograd (before/after measurements only): the model behind a plain IOdeSystem, so direct
        // gradients record every stage with autograd as before the stage adjoint (docs/gradients.md) instead of running it.
        IOdeSystem system = Environment.GetEnvironmentVariable("NODEDSL_SBS_DIRECT") == "autograd" ? new PlainSystem(model) : model;
        var optimizer = NodeDsl.Runtime.Training.OptimizerSettings.RmsProp(LearningRate).Create(model.parameters());
        int points = setup.Times.Length;
        var times = torch.tensor(setup.Times, dtype);
        var truth = torch.tensor(setup.Truth.SelectMany(r => r).ToArray(), new long[] { points, 2 }, dtype);
        var batchTimes = times.narrow(0, 0, Window);
        var offsets = torch.arange(Window, dtype: ScalarType.Int64).unsqueeze(1);

        long forward = 0, backward = 0;
        double loss = double.NaN, seconds = 0, cpuSeconds = 0;
        var clock = new Stopwatch();
        for (int i = 0; i < config.Warmup + config.Iterations; i++)
        {
            using var scope = NewDisposeScope();
            var index = torch.tensor(setup.Starts[i].Select(s => (long)s).ToArray(), ScalarType.Int64).unsqueeze(0).add(offsets);
            var target = truth.index_select(0, index.flatten()).reshape(Window, -1, 2);   // [10, 20, 2]
            var y0 = target[0];
            var cpuStart = Environment.CpuUsage.TotalTime;
            clock.Restart();
            optimizer.zero_grad();
            bool trace = config.TraceSteps && i == 0 && traced is not null;
            var traceOptions = controller is null ? new SolverOptions { Backend = backend } : options;
            var solution = Ode.Solve(system, y0, batchTimes, solver, trace ? traceOptions with { StepSizeController = new StepTrace(traced!) } : options, gradient);
            if (trace) Console.Error.WriteLine($"{config.Solver} {config.DType}: first solve, {solution.Stats.FunctionEvaluations} evaluations");
            var l1 = solution.Ys.sub(target).abs().mean();
            l1.backward();
            optimizer.step();
            loss = l1.ToDouble();
            clock.Stop();
            var cpu = Environment.CpuUsage.TotalTime - cpuStart;
            if (i < config.Warmup) continue;
            seconds += clock.Elapsed.TotalSeconds;
            cpuSeconds += cpu.TotalSeconds;
            forward += solution.Stats.FunctionEvaluations;
            backward += solution.Gradient?.Backward?.FunctionEvaluations ?? 0;
        }

        double testL1;
        using (no_grad())
        {
            var prediction = Ode.Solve(model, truth.narrow(0, 0, 1), times, solver, options).Ys.squeeze(1);
            testL1 = prediction.sub(truth).abs().mean().ToDouble();
        }
        int n = config.Iterations;
        return new TrainingMeasurement(seconds / n, cpuSeconds / n, (double)forward / n, (double)backward / n, loss, testL1);
    }

    // Only the rates: no IRatesVjp, so no stage adjoint (and no backsolve with the generated VJP: measure direct only).
    internal sealed class PlainSystem(SpiralDemoNode model) : IOdeSystem
    {
        public Tensor Rates(Tensor t, Tensor y) => model.Rates(t, y);
    }

    // Copies torchdiffeq's initial weights into the generated network (its layers are Net.layer0 and Net.layer1).
    static void LoadWeights(SpiralDemoNode model, MlpWeights weights)
    {
        var values = new Dictionary<string, (double[] Data, long[] Shape)>
        {
            ["layer0.weight"] = (weights.W1.SelectMany(r => r).ToArray(), [weights.W1.Length, weights.W1[0].Length]),
            ["layer0.bias"] = (weights.B1, [weights.B1.Length]),
            ["layer1.weight"] = (weights.W2.SelectMany(r => r).ToArray(), [weights.W2.Length, weights.W2[0].Length]),
            ["layer1.bias"] = (weights.B2, [weights.B2.Length]),
        };
        int copied = 0;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var key = values.Keys.SingleOrDefault(k => name.EndsWith(k, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"Unexpected parameter '{name}' in the spiral model.");
            var (data, shape) = values[key];
            if (!parameter.shape.SequenceEqual(shape))
                throw new InvalidOperationException($"Parameter '{name}' has shape [{string.Join(", ", parameter.shape)}], the setup [{string.Join(", ", shape)}].");
            using var source = torch.tensor(data, shape, parameter.dtype);
            parameter.copy_(source);
            copied++;
        }
        if (copied != values.Count) throw new InvalidOperationException($"Copied {copied} of {values.Count} parameters into the spiral model.");
    }
}
