using BenchmarkDotNet.Attributes;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks;

/// <summary>
/// Managed memory of one native solve through the public API (<c>Ode.Solve</c> with <see cref="Backend.Native"/>) of the
/// spiral model at batch 20, float32, one thread: forward only, and forward + backward (direct gradient), with rk4 and
/// dopri5 at 10 and 100 steps over [0, 1] (dopri5 held at that step by MaxStep with loose tolerances, so every step is
/// accepted). The allocated column must not grow with the steps: the integrator, tape and sweep reuse pooled buffers and
/// allocate nothing per step; what remains is per solve (tensor wrappers, the autograd node, the solution record).
/// </summary>
[MemoryDiagnoser]
public class NativeSolveAllocationBenchmarks
{
    [Params("rk4", "dopri5")]
    public string Solver { get; set; } = "rk4";

    [Params(10, 100)]
    public int Steps { get; set; } = 10;

    SpiralNode model = null!;
    Tensor y0 = null!, ts = null!;
    IOdeSolver solver = null!;
    SolverOptions options = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        model = new SpiralNode(new ModelOptions { DType = ScalarType.Float32, Seed = 1 });
        solver = Solvers.ByName(Solver);
        double h = 1.0 / Steps;
        options = solver.IsAdaptive
            ? new SolverOptions { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-2, FirstStep = h, MaxStep = h, Backend = Backend.Native }
            : new SolverOptions { StepSize = h, Backend = Backend.Native };
        var rng = new Random(3);
        var start = Enumerable.Range(0, 40).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        y0 = torch.tensor(start, new long[] { 20, 2 }, ScalarType.Float64).to(ScalarType.Float32).DetachFromDisposeScope();
        // Ten output times: most fall inside steps (dense output), as in training on a window grid.
        ts = torch.linspace(0, 1, 10, dtype: ScalarType.Float32).DetachFromDisposeScope();
        var stats = Forward();
        if (stats.AcceptedSteps != Steps) throw new InvalidOperationException($"{Solver} took {stats.AcceptedSteps} steps, not {Steps}.");
    }

    [Benchmark(Description = "forward")]
    public SolverStats Forward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Ode.Solve(model, y0, ts, solver, options, GradientMethod.Direct).Stats;
    }

    [Benchmark(Description = "forward + backward (direct)")]
    public SolverStats ForwardBackward()
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        var solution = Ode.Solve(model, y0, ts, solver, options, GradientMethod.Direct);
        solution.Ys.sum().backward();
        return solution.Stats;
    }
}
