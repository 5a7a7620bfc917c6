using System.Diagnostics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks;

/// <summary>
/// Stopwatch driver for the native backend against TorchSharp on one thread, both backends interleaved round by round
/// (so load on a shared machine hits both alike), median ms per training iteration (solve + L1 loss + backward):
/// <c>backends spiral [rounds]</c> — the spiral demo workload (batch 20 windows × 10 points 0.025 apart, MLP 2→50→2) for
/// rk4 and dopri5 × direct and backsolve × float32 and float64; <c>backends crossover [rounds]</c> — rk4/direct at batch
/// 1, 20, 256, 4096 × width 50, 256 (docs/backends.md).
/// </summary>
public static class BackendComparison
{
    /// <summary>Entry point of the <c>backends</c> command.</summary>
    public static void Run(string[] args)
    {
        torch.set_num_threads(1);
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        if (args is ["crossover", ..]) Crossover(rounds);
        else Spiral(rounds);
    }

    static void Spiral(int rounds)
    {
        Console.WriteLine("| solver / gradient | dtype | Torch ms/iter | native ms/iter | speed-up | steps | native µs/step | NFE fwd/bwd |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            foreach (var solver in new[] { "rk4", "dopri5" })
                foreach (var gradient in new[] { "direct", "backsolve" })
                {
                    var torchIteration = Iteration.Create(50, 20, dtype, solver, gradient, Backend.Torch);
                    var nativeIteration = Iteration.Create(50, 20, dtype, solver, gradient, Backend.Native);
                    var (t, n) = Measure(torchIteration, nativeIteration, rounds, 10);
                    var stats = nativeIteration.Run();
                    Console.WriteLine($"| {solver}, {gradient} | {dtype} | {t:F3} | {n:F3} | {t / n:F1}× | {stats.Steps} | {1000 * n / stats.Steps:F1} | {stats.Forward}/{stats.Backward} |");
                }
    }

    static void Crossover(int rounds)
    {
        Console.WriteLine("| width | batch | Torch ms/iter | native ms/iter | native / Torch |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (int width in new[] { 50, 256 })
            foreach (int batch in new[] { 1, 20, 256, 4096 })
            {
                var torchIteration = Iteration.Create(width, batch, ScalarType.Float32, "rk4", "direct", Backend.Torch);
                var nativeIteration = Iteration.Create(width, batch, ScalarType.Float32, "rk4", "direct", Backend.Native);
                int repeats = Math.Max(1, 2000 / (batch * width / 50 + 20));
                var (t, n) = Measure(torchIteration, nativeIteration, rounds, repeats);
                Console.WriteLine($"| {width} | {batch} | {t:F3} | {n:F3} | {n / t:F2} |");
            }
    }

    // Median ms per iteration of each, interleaved.
    static (double Torch, double Native) Measure(Iteration torch, Iteration native, int rounds, int repeats)
    {
        for (int w = 0; w < 3; w++) { torch.Run(); native.Run(); }
        var times = new[] { new List<double>(), new List<double>() };
        for (int r = 0; r < rounds; r++)
        {
            foreach (var (it, list) in new[] { (torch, times[0]), (native, times[1]) })
            {
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < repeats; i++) it.Run();
                list.Add(watch.Elapsed.TotalMilliseconds / repeats);
            }
        }
        static double Median(List<double> x) { var s = x.Order().ToArray(); return s[s.Length / 2]; }
        return (Median(times[0]), Median(times[1]));
    }

    /// <summary>One training iteration of the spiral workload through the public API: Ode.Solve, L1 loss, backward.</summary>
    sealed class Iteration
    {
        OdeModel model = null!;
        Tensor y0 = null!, ts = null!, target = null!;
        IOdeSolver solver = null!;
        SolverOptions options = null!;
        GradientMethod gradient = null!;

        public static Iteration Create(int width, int batch, ScalarType dtype, string solverName, string gradientName, Backend backend)
        {
            var options = new ModelOptions { DType = dtype, Seed = 1 };
            var it = new Iteration
            {
                model = width == 50 ? new SpiralNode(options) : new SpiralNode256(options),
                solver = Solvers.ByName(solverName),
                gradient = gradientName == "direct" ? GradientMethod.Direct : GradientMethod.Backsolve(),
            };
            // The demo's windows: 10 points 0.025 apart; rk4 steps on the grid; dopri5 at rtol 1e-7 (issue 14's table).
            it.options = solverName == "rk4"
                ? new SolverOptions { StepSize = 0.025, Backend = backend }
                : new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9, Backend = backend };
            var rng = new Random(3);
            var start = Enumerable.Range(0, batch * 2).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
            it.y0 = torch.tensor(start, new long[] { batch, 2 }, ScalarType.Float64).to(dtype).DetachFromDisposeScope();
            it.ts = torch.linspace(0, 0.225, 10, dtype: dtype).DetachFromDisposeScope();
            it.target = torch.zeros(new long[] { 10, batch, 2 }, dtype).DetachFromDisposeScope();
            return it;
        }

        public (int Steps, int Forward, int Backward) Run()
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var solution = Ode.Solve(model, y0, ts, solver, options, gradient);
            var loss = solution.Ys.sub(target).abs().mean();
            loss.backward();
            return (solution.Stats.AcceptedSteps, solution.Stats.FunctionEvaluations, solution.Gradient?.Backward?.FunctionEvaluations ?? 0);
        }
    }
}
