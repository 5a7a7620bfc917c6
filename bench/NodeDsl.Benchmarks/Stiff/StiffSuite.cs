using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks.Stiff;

/// <summary>
/// Work–precision runs of the stiff test set (<see cref="StiffProblems"/>): for every problem, solver and relative
/// tolerance one timed solve (Stopwatch, one thread, float64, batch 1), its counters and its error against the reference
/// solution in <c>bench/stiff/reference.json</c> (written by <c>scipy_stiff.py --reference</c>). Prints one CSV line per run.
/// <c>NodeDsl.Benchmarks stiff [--problems a,b] [--solvers radau5,...] [--rtols 1e-4,1e-6] [--reference path] [--repeat k] [--end T]
/// [--controller default|pi|i] [--backend hand|torch|native] [--states path]</c> (the default step-size controller, PI.3.4 given explicitly, or the
/// elementary I controller; the hand-written tensor fields of <see cref="StiffProblems"/>, or the DSL models of
/// <see cref="StiffModels"/> on the generated TorchSharp code or on the native kernels; <c>--states</c> writes the last run's
/// states at the output times as JSON, in reference.json's form, to make a reference where scipy's is too slow).
/// </summary>
public static class StiffSuite
{
    /// <summary>Runs the suite with command-line arguments (after "stiff").</summary>
    public static void Run(string[] args)
    {
        torch.set_num_threads(1);
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var problems = Arg("--problems", string.Join(",", StiffProblems.All.Select(p => p.Name))).Split(',');
        var solvers = Arg("--solvers", "radau5").Split(',');
        var rtols = Arg("--rtols", "1e-4,1e-6,1e-8").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int repeat = int.Parse(Arg("--repeat", "1"), CultureInfo.InvariantCulture);
        var controller = Arg("--controller", "default");
        var backend = Arg("--backend", "hand");
        if (backend is not ("hand" or "torch" or "native")) throw new ArgumentException($"Unknown backend '{backend}': use hand, torch or native.");
        var reference = LoadReference(Arg("--reference", Path.Combine("bench", "stiff", "reference.json")));

        // JIT and libtorch warm-up on a short, cheap solve with every solver.
        foreach (var solver in solvers) Solve(On(StiffProblems.ByName("orego"), backend) with { Times = [0, 1] }, Runtime.Solvers.ByName(solver), 1e-4, controller, backend);

        Console.WriteLine("problem,solver,rtol,atol,seconds,cpu_seconds,nfe,jacobians,factorizations,accepted,rejected,error");
        foreach (var name in problems)
        {
            var problem = On(StiffProblems.ByName(name), backend);
            // --profile: time spent inside the vector field, reported on stderr.
            var timed = args.Contains("--profile") && problem.System is IRowIndependentRates ? new TimedSystem(problem.System) : null;
            if (timed is not null) problem = problem with { System = timed };
            // --end T: only the outputs up to T (for quick looks; no reference error then).
            if (Arg("--end", "") is { Length: > 0 } end)
            {
                double tEnd = double.Parse(end, CultureInfo.InvariantCulture);
                problem = problem with { Times = [.. problem.Times.Where(t => t < tEnd), tEnd] };
            }
            foreach (double rtol in rtols)
                foreach (var solverName in solvers)
                {
                    var solver = Runtime.Solvers.ByName(solverName);
                    var times = new List<double>();
                    var cpuTimes = new List<double>();
                    SolverStats? stats = null;
                    double error = double.NaN;
                    for (int r = 0; r < repeat; r++)
                    {
                        using var scope = NewDisposeScope();
                        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                        var watch = Stopwatch.StartNew();
                        OdeSolution solution;
                        try { solution = Solve(problem, solver, rtol, controller, backend); }
                        catch (OdeSolverException e)
                        {
                            Console.WriteLine($"{name},{solverName},{rtol:E0},{problem.AtolFactor * rtol:E0},failed: {e.Message.Split('.')[0]}");
                            break;
                        }
                        times.Add(watch.Elapsed.TotalSeconds);
                        cpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                        stats = solution.Stats;
                        error = reference.TryGetValue(name, out var states) && states.Length == problem.Times.Length ? Error(solution.Ys, states) : double.NaN;
                        if (Arg("--states", "") is { Length: > 0 } statesPath) WriteStates(statesPath, problem, solverName, rtol, solution.Ys);
                    }
                    if (stats is null) continue;
                    if (timed is not null)
                    {
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{name} {solverName}: {timed.Seconds / repeat:F3} s of {times.Sum() / repeat:F3} s in {timed.Calls / repeat} rate calls ({timed.Seconds / timed.Calls * 1e6:F1} µs each); {(times.Sum() - timed.Seconds) / repeat / (stats.AcceptedSteps + stats.RejectedSteps) * 1e6:F0} µs per step outside them"));
                        timed.Reset();
                    }
                    double seconds = times.Order().ElementAt(times.Count / 2), cpuSeconds = cpuTimes.Order().ElementAt(cpuTimes.Count / 2);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name},{solverName},{rtol:E0},{problem.AtolFactor * rtol:E0},{seconds:F3},{cpuSeconds:F3},{stats.FunctionEvaluations},{stats.JacobianEvaluations},{stats.Factorizations},{stats.AcceptedSteps},{stats.RejectedSteps},{error:E2}"));
                }
        }
    }

    // The problem with its DSL model as the system (backends torch and native) or its hand-written tensor field (hand).
    static StiffProblem On(StiffProblem problem, string backend) => backend == "hand" ? problem : problem with { System = StiffModels.For(problem.Name) };

    static OdeSolution Solve(StiffProblem problem, IOdeSolver solver, double rtol, string controller, string backend)
    {
        var y0 = torch.tensor(problem.Y0, [1, problem.Y0.Length], ScalarType.Float64);
        var ts = torch.tensor(problem.Times, ScalarType.Float64);
        using var noGrad = torch.no_grad();
        var options = new SolverOptions
        {
            RelativeTolerance = rtol, AbsoluteTolerance = problem.AtolFactor * rtol, MaxSteps = 50_000_000,
            Backend = backend == "native" ? Backend.Native : Backend.Torch,
        };
        // The controller owns the tolerances (FromOptions copies them), so the shorthand goes back to its default.
        if (controller != "default")
            options = new SolverOptions
            {
                MaxSteps = options.MaxSteps,
                Backend = options.Backend,
                StepSizeController = controller switch
                {
                    "pi" => PIController.FromOptions(options),
                    "i" => PIController.FromOptions(options) with { ProportionalCoefficient = 0, IntegralCoefficient = 1 },
                    _ => throw new ArgumentException($"Unknown controller '{controller}': use default, pi or i."),
                },
            };
        return Ode.Solve(problem.System, y0, ts, solver, options);
    }

    /// <summary>Largest norm-wise relative error over the output times after the first: max ‖y − y_ref‖₂ / ‖y_ref‖₂.</summary>
    static double Error(Tensor ys, double[][] reference)
    {
        double worst = 0;
        for (int i = 1; i < reference.Length; i++)
        {
            var y = ys[i, 0].data<double>().ToArray();
            double diff = System.Math.Sqrt(y.Zip(reference[i], (a, b) => (a - b) * (a - b)).Sum());
            double size = System.Math.Sqrt(reference[i].Sum(b => b * b));
            worst = System.Math.Max(worst, diff / size);
        }
        return worst;
    }

    static void WriteStates(string path, StiffProblem problem, string solver, double rtol, Tensor ys)
    {
        var states = Enumerable.Range(0, problem.Times.Length).Select(i => ys[i, 0].data<double>().ToArray()).ToArray();
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["times"] = problem.Times, ["states"] = states, ["method"] = $"NodeDsl {solver}", ["rtol"] = rtol,
        });
        File.WriteAllText(path, json);
    }

    static Dictionary<string, double[][]> LoadReference(string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"No reference at {path}: errors are NaN (run bench/stiff/scipy_stiff.py --reference first).");
            return [];
        }
        using var stream = File.OpenRead(path);
        var document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name,
            p => p.Value.GetProperty("states").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray());
    }

    sealed class TimedSystem(IOdeSystem inner) : IRowIndependentRates
    {
        readonly Stopwatch _watch = new();
        public int Calls { get; private set; }
        public double Seconds => _watch.Elapsed.TotalSeconds;
        public void Reset() { _watch.Reset(); Calls = 0; }
        public Tensor Rates(Tensor t, Tensor y)
        {
            Calls++;
            _watch.Start();
            try { return inner.Rates(t, y); }
            finally { _watch.Stop(); }
        }
    }
}
