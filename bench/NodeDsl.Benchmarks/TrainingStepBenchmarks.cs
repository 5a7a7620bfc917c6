using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NodeDsl.Runtime;
using NodeDsl.Workloads;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks;

/// <summary>
/// One training step (forward solve + backward + Adam step) on the spiral workload, per gradient method and solver:
/// an MLP 2→50→tanh→2 applied to y³, a batch of 20 windows of 10 consecutive points of the true trajectory, float64.
/// Dopri5 runs at rtol 1e-7, atol 1e-9; RK4 takes the grid spacing as its step. The NFE column gives forward/backward
/// function evaluations of one step (direct backprop evaluates nothing in its backward pass; it walks the graph).
/// </summary>
[Config(typeof(TrainingStepConfig))]
public class TrainingStepBenchmarks
{
    [Params("dopri5", "rk4")]
    public string Solver { get; set; } = "dopri5";

    [Params("direct", "backsolve", "checkpointed")]
    public string Gradient { get; set; } = "direct";

    TrainingStep step = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        step = TrainingStep.Create(Solver, Gradient);
    }

    [Benchmark]
    public double Step() => step.Run().Loss;
}

/// <summary>Adds the forward/backward NFE column.</summary>
public sealed class TrainingStepConfig : ManualConfig
{
    public TrainingStepConfig() => AddColumn(new TrainingNfeColumn());
}

/// <summary>The spiral training problem and one optimisation step on it.</summary>
public sealed class TrainingStep
{
    sealed class CubicMlp : nn.Module<Tensor, Tensor>, IOdeSystem
    {
        readonly nn.Module<Tensor, Tensor> net;

        public CubicMlp() : base(nameof(CubicMlp))
        {
            net = nn.Sequential(nn.Linear(2, 50), nn.Tanh(), nn.Linear(50, 2));
            RegisterComponents();
        }

        public override Tensor forward(Tensor y) => net.forward(y.pow(3));

        public Tensor Rates(Tensor t, Tensor y) => forward(y);
    }

    const int BatchSize = 20, WindowLength = 10;

    readonly CubicMlp model;
    readonly optim.Optimizer optimizer;
    readonly IOdeSolver solver;
    readonly SolverOptions options;
    readonly GradientMethod gradient;
    readonly Tensor y0, ts, target;

    TrainingStep(string solverName, string gradientName)
    {
        var dtype = ScalarType.Float64;
        var device = CPU;
        solver = Solvers.ByName(solverName);
        double spacing = SpiralWorkload.EndTime / (SpiralWorkload.Points - 1);
        options = solver.IsAdaptive
            ? new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 }
            : new SolverOptions { StepSize = spacing };
        gradient = gradientName switch
        {
            "direct" => GradientMethod.Direct,
            "backsolve" => GradientMethod.Backsolve(),
            "checkpointed" => GradientMethod.Checkpointed(),
            _ => throw new ArgumentException($"Unknown gradient method '{gradientName}'.", nameof(gradientName)),
        };
        torch.manual_seed(0);
        model = new CubicMlp();
        model.to(dtype);
        model.to(device);
        optimizer = optim.Adam(model.parameters(), lr: 1e-3);

        // The true trajectory (1000 points), then 20 random windows of 10 points (torchdiffeq's ode_demo batches).
        using (no_grad())
        {
            var times = SpiralWorkload.Times(dtype, device);
            var truth = Ode.Solve(SpiralWorkload.TrueDynamics(dtype, device), SpiralWorkload.InitialState(dtype, device), times,
                Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 }).Ys.squeeze(1);
            var generator = new Generator(42);
            var starts = randint(0, SpiralWorkload.Points - WindowLength, [BatchSize], generator: generator, dtype: ScalarType.Int64);
            var offsets = arange(WindowLength, dtype: ScalarType.Int64);
            var index = starts.unsqueeze(0).add(offsets.unsqueeze(1)); // [10, 20]
            target = truth.index_select(0, index.flatten()).reshape(WindowLength, BatchSize, 2).DetachFromDisposeScope();
            y0 = target[0].clone().DetachFromDisposeScope();
            ts = times.narrow(0, 0, WindowLength).clone().DetachFromDisposeScope();
        }
    }

    public static TrainingStep Create(string solverName, string gradientName) => new(solverName, gradientName);

    /// <summary>One step: zero grads, solve, mean absolute error, backward, Adam update.</summary>
    public (double Loss, int ForwardNfe, int BackwardNfe) Run()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var solution = Ode.Solve(model, y0, ts, solver, options, gradient);
        var loss = solution.Ys.sub(target).abs().mean();
        loss.backward();
        optimizer.step();
        return (loss.item<double>(), solution.Stats.FunctionEvaluations, solution.Gradient?.Backward?.FunctionEvaluations ?? 0);
    }
}

/// <summary>Forward/backward function evaluations of one training step.</summary>
public sealed class TrainingNfeColumn : IColumn
{
    public string Id => nameof(TrainingNfeColumn);
    public string ColumnName => "NFE fwd/bwd";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => false;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Function evaluations of one training step: forward solve / backward pass";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Parameters["Solver"] is not string solver || benchmarkCase.Parameters["Gradient"] is not string gradient)
            return "-";
        var (_, forward, backward) = TrainingStep.Create(solver, gradient).Run();
        return $"{forward}/{backward}";
    }
}
