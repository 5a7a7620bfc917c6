using System.Diagnostics;
using TorchSharp;

namespace NodeDsl.Benchmarks;

/// <summary>
/// A quick Stopwatch run of <see cref="TrainingStep"/> for iterating on the gradient methods between BenchmarkDotNet
/// runs: interleaves the methods round by round (so load on a shared machine hits all of them alike) and prints the
/// median time per step, its ratio to direct backprop and the NFE. <c>NodeDsl.Benchmarks quick [rounds]</c>.
/// </summary>
public static class QuickTrainingStep
{
    static readonly string[] Solvers = ["dopri5", "rk4"];
    static readonly string[] Gradients = ["direct", "checkpointed", "backsolve"];

    /// <summary>Runs <paramref name="rounds"/> rounds of 10 steps per configuration and prints a table.</summary>
    public static void Run(int rounds)
    {
        torch.set_num_threads(1);
        foreach (var solver in Solvers)
        {
            var steps = Gradients.Select(g => TrainingStep.Create(solver, g)).ToArray();
            var nfe = steps.Select(s => s.Run()).Select(r => $"{r.ForwardNfe}/{r.BackwardNfe}").ToArray();
            for (int w = 0; w < 5; w++) foreach (var s in steps) s.Run();
            var times = Gradients.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r < rounds; r++)
            {
                for (int g = 0; g < steps.Length; g++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < 10; i++) steps[g].Run();
                    times[g].Add(watch.Elapsed.TotalMilliseconds / 10);
                }
            }
            double Median(List<double> x) { var s = x.Order().ToArray(); return s[s.Length / 2]; }
            double direct = Median(times[0]);
            for (int g = 0; g < steps.Length; g++)
            {
                double m = Median(times[g]);
                Console.WriteLine($"{solver,-7} {Gradients[g],-13} {m,7:F2} ms  {m / direct,5:F2}x  NFE {nfe[g]}");
            }
        }
    }
}
