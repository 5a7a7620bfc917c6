using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NodeDsl.Benchmarks;

// dotnet run -c Release --project bench/NodeDsl.Benchmarks -- --filter '*'
var config = DefaultConfig.Instance.AddColumn(new NfeColumn());
BenchmarkSwitcher.FromAssembly(typeof(ForwardSolveBenchmarks).Assembly).Run(args, config);
