using System.Diagnostics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.SideBySide;

/// <summary>
/// Where one rk4-direct training iteration of the side-by-side workload goes on the TorchSharp backend: the same loop as
/// <see cref="SpiralDemoTraining"/> with a stopwatch around each phase, plus the solve's parts measured alone (rates
/// evaluations with and without a graph, the solve without a graph, the backward of the solve's graph). Best-of-rounds
/// medians in µs per iteration on one thread; run it at nice −5 on a quiet machine
/// (<c>dotnet NodeDsl.SideBySide.dll --setup out/…/setup.json --profile rk4 float64 200</c>).
/// </summary>
public static class SpiralDemoProfile
{
    const int Window = 10;

    /// <summary>Prints the phase table for <paramref name="solverName"/> / <paramref name="dtypeName"/> over <paramref name="iterations"/> iterations per round.</summary>
    public static void Run(SideBySideSetup setup, string solverName, string dtypeName, int iterations)
    {
        var dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        var solver = Solvers.ByName(solverName);
        double spacing = setup.Times[^1] / (setup.Times.Length - 1);
        var options = solver.IsAdaptive
            ? new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9, Backend = Backend.Torch }
            : new SolverOptions { StepSize = spacing, Backend = Backend.Torch };
        using var runScope = NewDisposeScope();
        var model = new SpiralDemoNode(new ModelOptions { DType = dtype });
        var optimizer = NodeDsl.Runtime.Training.OptimizerSettings.RmsProp(1e-3).Create(model.parameters());
        int points = setup.Times.Length;
        var times = torch.tensor(setup.Times, dtype);
        var truth = torch.tensor(setup.Truth.SelectMany(r => r).ToArray(), new long[] { points, 2 }, dtype);
        var batchTimes = times.narrow(0, 0, Window);
        var offsets = torch.arange(Window, dtype: ScalarType.Int64).unsqueeze(1);
        (Tensor Y0, Tensor Target) Batch(int i)
        {
            var index = torch.tensor(setup.Starts[i % setup.Starts.Length].Select(s => (long)s).ToArray(), ScalarType.Int64).unsqueeze(0).add(offsets);
            var target = truth.index_select(0, index.flatten()).reshape(Window, -1, 2);
            return (target[0], target);
        }

        var phases = new[] { "zero_grad", "Ode.Solve", "loss", "backward", "optimizer.step", "item", "whole iteration" };
        var parts = new[] { "37 rates, graph", "37 rates, no graph", "37 rates + backward", "solve, no graph", "solve + loss + backward" };
        var partTimes = parts.ToDictionary(p => p, _ => new List<double>());
        var clock = new Stopwatch();
        int gcBefore = GC.CollectionCount(0);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        int totalIterations = 0;
        // Even rounds: the model as it is (direct gradients through the stage adjoint); odd rounds: behind a plain
        // IOdeSystem (autograd through every stage, as before it), so both are measured under the same load.
        var plain = new SpiralDemoTraining.PlainSystem(model);
        var byPath = new[] { phases.ToDictionary(p => p, _ => new List<double>()), phases.ToDictionary(p => p, _ => new List<double>()) };
        for (int round = 0; round < 14; round++)
        {
            IOdeSystem system = round % 2 == 0 ? model : plain;
            var sums = new double[phases.Length];
            for (int i = 0; i < iterations; i++)
            {
                using var scope = NewDisposeScope();
                var (y0, target) = Batch(i);
                var start = Stopwatch.GetTimestamp();
                long Lap(int phase)
                {
                    var now = Stopwatch.GetTimestamp();
                    sums[phase] += Stopwatch.GetElapsedTime(start, now).TotalMicroseconds;
                    start = now;
                    return now;
                }
                var first = Stopwatch.GetTimestamp();
                optimizer.zero_grad(); Lap(0);
                var solution = Ode.Solve(system, y0, batchTimes, solver, options, GradientMethod.Direct); Lap(1);
                var l1 = solution.Ys.sub(target).abs().mean(); Lap(2);
                l1.backward(); Lap(3);
                optimizer.step(); Lap(4);
                _ = l1.ToDouble(); var last = Lap(5);
                sums[6] += Stopwatch.GetElapsedTime(first, last).TotalMicroseconds;
                totalIterations++;
            }
            for (int p = 0; p < phases.Length; p++) byPath[round % 2][phases[p]].Add(sums[p] / iterations);
            if (round % 2 == 1) continue;

            // The parts alone (no optimizer step, so the weights stay put within a round).
            var (py0, ptarget) = Batch(round);
            var t = torch.tensor(0.0, dtype);
            partTimes[parts[0]].Add(Time(iterations, () => { for (int e = 0; e < 37; e++) model.Rates(t, py0); }));
            partTimes[parts[1]].Add(Time(iterations, () => { using var ng = no_grad(); for (int e = 0; e < 37; e++) model.Rates(t, py0); }));
            partTimes[parts[2]].Add(Time(iterations, () =>
            {
                Tensor acc = model.Rates(t, py0);
                for (int e = 1; e < 37; e++) acc = acc.add(model.Rates(t, py0), ScalarOps.One);
                acc.sum().backward();
            }));
            partTimes[parts[3]].Add(Time(iterations, () => { using var ng = no_grad(); Ode.Solve(model, py0, batchTimes, solver, options); }));
            partTimes[parts[4]].Add(Time(iterations, () =>
            {
                var s = Ode.Solve(model, py0, batchTimes, solver, options, GradientMethod.Direct);
                s.Ys.sub(ptarget).abs().mean().backward();
            }));
        }
        foreach (long rows in new long[] { 20, 740, 1480 })
        {
            var y = torch.randn(rows, 2, dtype: dtype);
            var a = torch.randn(rows, 2, dtype: dtype);
            var tt = torch.tensor(0.0, dtype);
            var list = new List<double>();
            for (int round = 0; round < 5; round++) list.Add(Time(iterations, () => { using var ng = no_grad(); model.Vjp(tt, y, a); }));
            var fl = new List<double>();
            for (int round = 0; round < 5; round++) fl.Add(Time(iterations, () => { using var ng = no_grad(); model.Rates(tt, y); }));
            var th = new List<double>();
            var z = torch.randn(rows, 50, dtype: dtype);
            for (int round = 0; round < 5; round++) th.Add(Time(iterations, () => { z.tanh(); }));
            Console.WriteLine($"  rows {rows}: one Vjp {Median(list):F0} µs, one Rates (no graph) {Median(fl):F0} µs, one tanh [rows, 50] {Median(th):F1} µs");
        }
        double gcPerIteration = (double)(GC.CollectionCount(0) - gcBefore) / totalIterations;
        double kbPerIteration = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1024.0 / totalIterations;
        Console.WriteLine($"{solverName} direct {dtypeName}, TorchSharp backend: µs per iteration, median (min) of 7 rounds of {iterations}");
        Console.WriteLine($"  {"phase",-26} {"stage adjoint",16} {"autograd",16}");
        foreach (var p in phases)
            Console.WriteLine($"  {p,-26} {Median(byPath[0][p]),9:F0} ({byPath[0][p].Min(),5:F0}) {Median(byPath[1][p]),9:F0} ({byPath[1][p].Min(),5:F0})");
        foreach (var p in parts) Console.WriteLine($"  {p,-26} {Median(partTimes[p]),9:F0} ({partTimes[p].Min(),6:F0})");
        Console.WriteLine($"  gen-0 GCs per iteration {gcPerIteration:F3}; managed KB allocated per iteration (all phases and parts) {kbPerIteration:F1}");
    }

    static double Time(int iterations, Action body)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            body();
        }
        return clock.Elapsed.TotalMicroseconds / iterations;
    }

    static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}
