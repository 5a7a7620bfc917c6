using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NodeDsl.Benchmarks;

// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- quick [rounds]   (Stopwatch, training step only)
if (args is ["quick", ..])
{
    QuickTrainingStep.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return;
}
var config = DefaultConfig.Instance.AddColumn(new NfeColumn());
BenchmarkSwitcher.FromAssembly(typeof(ForwardSolveBenchmarks).Assembly).Run(args, config);
