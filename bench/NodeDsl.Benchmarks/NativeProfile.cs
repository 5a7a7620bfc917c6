using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using NodeDsl.Numerics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks;

/// <summary>
/// Where one native training iteration of the spiral demo goes (issue 14), by subtraction of nested workloads timed with a
/// Stopwatch on one thread: the whole iteration as bench/SideBySide times it (zero_grad, <c>Ode.Solve</c>, L1 loss,
/// backward, RMSprop step, <c>loss.item()</c>); the same without the optimizer step; the torch side alone (loss, backward and
/// RMSprop on a leaf standing in for the solution); the native solve without a graph; the numerics alone (integrator,
/// tape and discrete adjoint on spans, no tensors); and the kernel calls alone (the iteration's rates, its VJPs as rates + VJP,
/// and its VJPs from the forward's records, as the direct gradient's sweep now runs them).
/// </summary>
public static class NativeProfile
{
    const int Batch = 20, Points = 10;

    /// <summary>Prints wall and CPU µs per iteration of each part for rk4 and dopri5, direct gradient, float32 and float64.</summary>
    public static void Run(string[] args)
    {
        torch.set_num_threads(1);
        if (args is ["loop", var name, var type, var count])
        {
            // Only the whole iteration, for a sampling profiler (perf record with DOTNET_PerfMapEnabled=1).
            var n = int.Parse(count, CultureInfo.InvariantCulture);
            if (type == "float32") Profile<float>(name, ScalarType.Float32, n, wholeOnly: true);
            else Profile<double>(name, ScalarType.Float64, n, wholeOnly: true);
            return;
        }
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        string[] solvers = args.Length > 1 ? args[1].Split(',') : ["rk4"];
        Console.WriteLine("| solver | dtype | part | wall µs/iter | CPU µs/iter |");
        Console.WriteLine("|---|---|---|---:|---:|");
        foreach (var solverName in solvers)
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                if (dtype == ScalarType.Float32) Profile<float>(solverName, dtype, repeats);
                else Profile<double>(solverName, dtype, repeats);
            }
    }

    static void Profile<T>(string solverName, ScalarType dtype, int repeats, bool wholeOnly = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var outer = NewDisposeScope();
        var model = new SpiralNode(new ModelOptions { DType = dtype, Seed = 1 });
        var solver = Solvers.ByName(solverName);
        var options = solverName == "rk4"
            ? new SolverOptions { StepSize = 0.025, Backend = Backend.Native }
            : new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9, Backend = Backend.Native };
        var rng = new Random(3);
        var start = Enumerable.Range(0, Batch * 2).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        var y0 = torch.tensor(start, new long[] { Batch, 2 }, ScalarType.Float64).to(dtype);
        var ts = torch.linspace(0, 0.225, Points, dtype: dtype);
        var target = torch.zeros(new long[] { Points, Batch, 2 }, dtype);
        var optimizer = NodeDsl.Runtime.Training.OptimizerSettings.RmsProp(1e-5).Create(model.parameters());

        void Report(string part, Action action)
        {
            for (int i = 0; i < Math.Max(20, repeats / 10); i++) action();
            // Best of 5 rounds, in wall and in process CPU time (the steadier one on a shared machine).
            double bestWall = double.MaxValue, bestCpu = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                var cpu = Environment.CpuUsage.TotalTime;
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < repeats / 5; i++) action();
                bestWall = Math.Min(bestWall, watch.Elapsed.TotalMilliseconds * 1000 / (repeats / 5));
                bestCpu = Math.Min(bestCpu, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds * 1000 / (repeats / 5));
            }
            Console.WriteLine($"| {solverName} | {dtype} | {part} | {bestWall.ToString("F1", CultureInfo.InvariantCulture)} | {bestCpu.ToString("F1", CultureInfo.InvariantCulture)} |");
        }

        Report("whole iteration (solve, loss, backward, RMSprop, item)", () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var solution = Ode.Solve(model, y0, ts, solver, options, GradientMethod.Direct);
            var loss = solution.Ys.sub(target).abs().mean();
            loss.backward();
            optimizer.step();
            loss.ToDouble();
        });
        if (wholeOnly) return;
        Report("solve, loss, backward", () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var solution = Ode.Solve(model, y0, ts, solver, options, GradientMethod.Direct);
            solution.Ys.sub(target).abs().mean().backward();
        });
        Report("solve without graph", () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Ode.Solve(model, y0, ts, solver, options, GradientMethod.Direct);
        });
        Report("solve with graph, no backward", () =>
        {
            using var scope = NewDisposeScope();
            Ode.Solve(model, y0, ts, solver, options, GradientMethod.Direct);
        });
        var tableauOf = NativeMethods.TableauOf(solver, out _)!;
        var hostTimes = Enumerable.Range(0, Points).Select(i => 0.225 * i / (Points - 1)).ToArray();
        var gradYs = torch.ones(new long[] { Points, Batch, 2 }, dtype);
        Report("NativeRun: construct, Forward, Backward (no autograd)", () =>
        {
            using var scope = NewDisposeScope();
            var run = new NativeRun<T>(model, ((IRatesVjp)model).Parameters, tableauOf, solver, options, hostTimes, Batch, NativeGradient.Direct, null, null);
            run.Forward(y0);
            run.Backward(gradYs);
        });
        Report("NativeRun: construct, Forward (direct tape)", () =>
        {
            using var scope = NewDisposeScope();
            new NativeRun<T>(model, ((IRatesVjp)model).Parameters, tableauOf, solver, options, hostTimes, Batch, NativeGradient.Direct, null, null).Forward(y0);
        });
        Report("NativeRun: construct, Forward (no tape)", () =>
        {
            using var scope = NewDisposeScope();
            new NativeRun<T>(model, ((IRatesVjp)model).Parameters, tableauOf, solver, options, hostTimes, Batch, NativeGradient.None, null, null).Forward(y0);
        });
        var parameters = ((IRatesVjp)model).Parameters;
        var dummy = new DummyRun(torch.zeros(new long[] { Points, Batch, 2 }, dtype), y0, parameters);
        Report("autograd function alone: apply + backward of a run that does nothing", () =>
        {
            using var scope = NewDisposeScope();
            var site = new BackwardSite("profile", 3 + parameters.Count);
            var inputs = new List<object> { new NativeSolveFunction.Context(dummy, site), BackwardGuard.Signal(y0), y0 };
            inputs.AddRange(parameters);
            NativeSolveFunction.apply([.. inputs])[0].sum().backward();
        });
        Report("NativeRun: construct", () =>
        {
            using var scope = NewDisposeScope();
            _ = new NativeRun<T>(model, ((IRatesVjp)model).Parameters, tableauOf, solver, options, hostTimes, Batch, NativeGradient.Direct, null, null);
        });
        Report("NativeEligibility.Check", () => NativeEligibility.Check(model, y0, solver, options, GradientMethod.Direct, out _));
        Report("SolveArguments.Validate + HostTimes", () =>
        {
            SolveArguments.Validate(y0, ts, solver, options);
            SolveArguments.HostTimes(ts);
        });
        var thetaProbe = new T[((INativeKernels)model).KernelLayout.ParameterCount];
        Report("ToParameterTensors", () =>
        {
            using var scope = NewDisposeScope();
            ((INativeKernels)model).ToParameterTensors<T>(thetaProbe);
        });
        // The torch side alone: a leaf of the solution's shape, and each parameter's gradient set by a cheap op.
        var leaf = torch.zeros(new long[] { Points, Batch, 2 }, dtype, requires_grad: true);
        Report("torch side alone (zero_grad, loss, backward, RMSprop, item)", () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            leaf.grad?.zero_();
            var loss = leaf.sub(target).abs().mean();
            loss.backward();
            optimizer.step();
            loss.ToDouble();
        });

        // The numerics alone, everything made once (as a reused workspace would): solve with tape, reverse sweep.
        var native = (INativeKernels)model;
        var theta = new T[native.KernelLayout.ParameterCount];
        native.ReadParameters<T>(theta);
        var tableau = ((IStepLoopSolver)solver).PlainTableau!;
        var field = new KernelField<T>(native.CreateKernel<T>(), Batch, theta, [], null);
        var integrator = new RungeKuttaIntegrator<T>(tableau, field.Length);
        var tape = new StepTape<T>(field.Length, tableau.Stages, storeStages: true, field.RecordLength);
        var sweep = new DiscreteAdjoint<T>(tableau, field.Length);
        var hostY0 = start.Select(T.CreateTruncating).ToArray();
        var times = Enumerable.Range(0, Points).Select(i => 0.225 * i / (Points - 1)).ToArray();
        var outputs = new T[Points * field.Length];
        var gradOutputs = Enumerable.Repeat(T.CreateTruncating(1.0 / outputs.Length), outputs.Length).ToArray();
        var gradY0 = new T[field.Length];
        var settings = new IntegrationSettings
        {
            StepSize = solverName == "rk4" ? 0.025 : null, RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9,
        };
        Report("numerics: forward solve with tape", () => integrator.Solve(field, hostY0, times, settings, new IController(tableau), outputs, tape));
        Report("numerics: forward solve with tape + reverse sweep", () =>
        {
            integrator.Solve(field, hostY0, times, settings, new IController(tableau), outputs, tape);
            field.ClearGradients();
            sweep.Backpropagate(field, tape, gradOutputs, gradY0);
        });
        int evaluations = integrator.Evaluations, vjps = sweep.VjpEvaluations;
        var f = new T[field.Length];
        var vjp = new T[field.Length];
        Report($"kernels alone: {evaluations} rates", () =>
        {
            for (int i = 0; i < evaluations; i++) field.Rates(0.1, hostY0, f);
        });
        Report($"kernels alone: {vjps} rates+VJP", () =>
        {
            for (int i = 0; i < vjps; i++) field.Vjp(0.1, hostY0, gradY0, vjp);
        });
        var record = new T[field.RecordLength];
        field.RecordRates(0.1, hostY0, f, record);
        Report($"kernels alone: {vjps} VJP from a record", () =>
        {
            for (int i = 0; i < vjps; i++) field.VjpFromRecord(0.1, hostY0, gradY0, record, vjp);
        });
    }

    sealed class DummyRun(Tensor ys, Tensor y0, IReadOnlyList<Tensor> parameters) : INativeRun
    {
        public SolverStats? ForwardStats => null;
        public Tensor Forward(Tensor start) => ys.alias();
        public (Tensor Dy0, Tensor?[] DParams) Backward(Tensor gradYs) => (torch.zeros_like(y0), parameters.Select(p => (Tensor?)torch.zeros_like(p)).ToArray());
    }

    // An elementary controller (only dopri5 reads it): h·min(10, max(0.2, 0.9·err^(−1/(q+1)))).
    sealed class IController(RungeKuttaTableau tableau) : IStepControl
    {
        public bool Decide(double stepMagnitude, double errorNorm, out double nextStepMagnitude)
        {
            double factor = errorNorm == 0 ? 10 : Math.Min(10, Math.Max(0.2, 0.9 * Math.Pow(errorNorm, -1.0 / (tableau.ErrorOrder!.Value + 1))));
            nextStepMagnitude = stepMagnitude * (errorNorm <= 1 ? Math.Max(1, factor) : factor);
            return errorNorm <= 1;
        }
    }
}
