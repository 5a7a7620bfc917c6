using BenchmarkDotNet.Attributes;
using TorchSharp;
using NodeDsl.Runtime;
using NodeDsl.Workloads;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks;

/// <summary>
/// Forward solve of the spiral workload (dy/dt = y³A, y0 = (2, 0), 1000 outputs on [0, 25]) per method.
/// Adaptive methods use rtol 1e-7, atol 1e-9 in float64 (1e-5, 1e-7 in float32, which cannot resolve tighter);
/// fixed-step methods use the output spacing as the step.
/// The NFE column comes from <see cref="NfeColumn"/>, which runs the same solve once.
/// </summary>
[MemoryDiagnoser]
public class ForwardSolveBenchmarks
{
    // Explicit Euler is left out: at the data spacing it is unstable on the spiral's fast first phase.
    [Params("rk4", "abm", "bosh3", "dopri5", "tsit5", "dopri8", "kvaerno5")]
    public string Solver { get; set; } = "dopri5";

    [Params("float32", "float64")]
    public string DType { get; set; } = "float64";

    Tensor y0 = null!;
    Tensor ts = null!;
    IOdeSystem system = null!;
    SolverOptions options = null!;
    IOdeSolver solver = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        (system, y0, ts, solver, options) = SpiralCase.Create(Solver, DType);
    }

    [Benchmark]
    public long Solve()
    {
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(system, y0, ts, solver, options);
        return solution.Stats.FunctionEvaluations;
    }
}

/// <summary>Builds the spiral workload for one solver and dtype.</summary>
public static class SpiralCase
{
    public static (IOdeSystem System, Tensor Y0, Tensor Ts, IOdeSolver Solver, SolverOptions Options) Create(string solverName, string dtypeName)
    {
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var device = CPU;
        var solver = Solvers.ByName(solverName);
        var options = solver.IsAdaptive
            ? dtype == ScalarType.Float64
                ? new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 }
                : new SolverOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-7 }
            : new SolverOptions { StepSize = SpiralWorkload.EndTime / (SpiralWorkload.Points - 1) };
        return (SpiralWorkload.TrueDynamics(dtype, device), SpiralWorkload.InitialState(dtype, device),
            SpiralWorkload.Times(dtype, device), solver, options);
    }
}
