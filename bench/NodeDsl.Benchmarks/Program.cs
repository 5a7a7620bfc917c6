using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NodeDsl.Benchmarks;

// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- quick [rounds]   (Stopwatch, training step only)
// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- stiff [--problems ...] [--solvers ...] [--rtols ...]   (stiff work–precision)
if (args is ["stiff", ..])
{
    NodeDsl.Benchmarks.Stiff.StiffSuite.Run(args[1..]);
    return;
}
// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- backends spiral|crossover [rounds]   (native vs TorchSharp, Stopwatch)
if (args is ["backends", ..])
{
    BackendComparison.Run(args[1..]);
    return;
}
// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- native-profile [repeats] [rk4,dopri5]   (where a native iteration goes)
if (args is ["native-profile", ..])
{
    NativeProfile.Run(args[1..]);
    return;
}
if (args is ["quick", ..])
{
    QuickTrainingStep.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return;
}
var config = DefaultConfig.Instance.AddColumn(new NfeColumn());
BenchmarkSwitcher.FromAssembly(typeof(ForwardSolveBenchmarks).Assembly).Run(args, config);
