using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// Direct backpropagation as the discrete adjoint of the recorded Runge–Kutta stages (<see cref="StageAdjoint"/>), used
/// when the system declares <see cref="IStageVjp"/> with rows that stack: it must give the gradient autograd gives through
/// the same steps, in float64 to rounding, for fixed-step methods (outputs at step ends and inside steps: the Hermite
/// interpolant) and for adaptive ones (first same as last, the tableau's own dense output), in one block of steps and in
/// several, and match central finite differences.
/// </summary>
public class StageAdjointTests
{
    /// <summary>
    /// <see cref="CubicMlpOde"/> with a VJP by autograd, declaring <see cref="IStageVjp"/>; counts its rates evaluations on
    /// stacked stage points (more rows than the problem's batch of 3). Its parameters are the module's, which is everything
    /// its rates read.
    /// </summary>
    sealed class StageVjpOde(CubicMlpOde inner, bool rowsStack = true) : IOdeSystem, IRatesVjp, IStageVjp
    {
        readonly AutogradRatesVjp vjp = AutogradRatesVjp.For(inner);

        public int StackedEvaluations { get; private set; }

        public bool RowsStack => rowsStack;

        public Tensor Rates(Tensor t, Tensor y)
        {
            if (y.shape[0] > 3) StackedEvaluations++;
            return inner.Rates(t, y);
        }

        public IReadOnlyList<Tensor> Parameters => vjp.Parameters;

        public RatesVjpResult Vjp(Tensor t, Tensor y, Tensor a, bool withTime = false) => vjp.Vjp(t, y, a, withTime);
    }

    public static TheoryData<string, double> Methods => new()
    {
        // Fixed steps: 0.03 does not divide the output spacing 0.1, so most outputs come from the Hermite interpolant
        // inside a step (its f(t_{n+1}) read is the next step's stage 0); 0.025 lands every output on a step end; 0.25
        // puts output 0.6 inside the last step, so f(t_N, y_N) gets a VJP of its own.
        { "rk4", 0.03 }, { "rk4", 0.025 }, { "rk4", 0.25 }, { "midpoint", 0.03 }, { "heun", 0.03 },
        // Adaptive, first same as last, each with its tableau's dense output.
        { "dopri5", 0 }, { "bosh3", 0 }, { "tsit5", 0 },
    };

    static (IOdeSolver Solver, SolverOptions Options) Setup(string method, double step)
        => (NodeDsl.Runtime.Solvers.ByName(method), step > 0
            ? new SolverOptions { StepSize = step, Backend = Backend.Torch }
            : new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8, Backend = Backend.Torch });

    sealed record Problem(CubicMlpOde Net, Tensor Y0, Tensor Ts, Tensor Weights)
    {
        public Tensor[] Wrt(bool withTimes) => [Y0, .. Net.parameters(), .. withTimes ? new[] { Ts } : []];

        // L = Σ W∘ys + 0.1 Σ ys²: the cotangent of every output differs and depends on the trajectory.
        public Tensor Loss(Tensor ys) => ys.mul(Weights).sum().add(ScalarOps.Mul(ys.square().sum(), 0.1));
    }

    static Problem Create()
    {
        var net = new CubicMlpOde(hidden: 8, seed: 3);
        var y0 = tensor(new double[,] { { 1.2, 0.1 }, { 0.4, -0.8 }, { -0.5, 0.6 } }, float64).requires_grad_(true);
        var ts = linspace(0, 0.7, 8, dtype: float64);
        var weights = randn(new long[] { 8, 3, 2 }, dtype: float64, generator: new Generator(5));
        return new Problem(net, y0, ts, weights);
    }

    static Tensor[] Gradients(Problem p, IOdeSystem system, IOdeSolver solver, SolverOptions options, bool withTimes, out SolverStats stats)
    {
        p.Ts.requires_grad_(withTimes);
        var wrt = p.Wrt(withTimes);
        var solution = Ode.Solve(system, p.Y0, p.Ts, solver, options, GradientMethod.Direct);
        stats = solution.Stats;
        var grads = autograd.grad([p.Loss(solution.Ys)], wrt, allow_unused: true);
        p.Ts.requires_grad_(false);
        return [.. grads.Select((g, i) => g is null || g.IsInvalid ? zeros_like(wrt[i]) : g.detach())];
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void MatchesAutogradThroughTheSteps(string method, double step)
    {
        // Both differentiate the same steps (identical forward arithmetic, so identical step sizes): they differ only in
        // the order of floating-point sums, ~1e-16 per operation over a few hundred operations; 1e-12 relative to each
        // gradient's norm leaves room for that and nothing else.
        var p = Create();
        var (solver, options) = Setup(method, step);
        var stages = new StageVjpOde(p.Net);
        Assert.True(StageAdjoint.Applies(stages, p.Y0, solver, options));
        Assert.False(StageAdjoint.Applies(p.Net, p.Y0, solver, options));
        Assert.False(StageAdjoint.Applies(new StageVjpOde(p.Net, rowsStack: false), p.Y0, solver, options));
        foreach (bool withTimes in new[] { false, true })
        {
            var viaStages = Gradients(p, stages, solver, options, withTimes, out var stageStats);
            var viaAutograd = Gradients(p, p.Net, solver, options, withTimes, out var autogradStats);
            Assert.Equal(autogradStats.AcceptedSteps, stageStats.AcceptedSteps);
            Assert.Equal(autogradStats.RejectedSteps, stageStats.RejectedSteps);
            for (int i = 0; i < viaStages.Length; i++)
            {
                double norm = viaAutograd[i].norm().item<double>();
                double difference = viaStages[i].sub(viaAutograd[i]).norm().item<double>();
                Assert.True(norm > 0, $"{method}: gradient {i} is zero, so the comparison checks nothing");
                Assert.True(difference <= 1e-12 * norm, $"{method} h={step} times={withTimes}: gradient {i} differs by {difference / norm:E2} relative");
            }
        }
    }

    [Theory]
    [InlineData("rk4", 0.03)]
    [InlineData("rk4", 0.25)]
    [InlineData("dopri5", 0)]
    public void BlocksOfStepsGiveTheSameGradientWithOneStackedEvaluationEach(string method, double step)
    {
        // One block (the default size) against blocks of two steps (BlockRowsOverride: rows of one block = steps × stages ×
        // batch × n, so 2 × s × 3 × 2): the cotangents that cross a block boundary (ȳ, and a first-same-as-last method's
        // stage-0 cotangent) must carry over. Each block evaluates the rates once, on all its stage points stacked, whatever
        // its length. Same 1e-12 as above: only the order of the parameter sums differs.
        var p = Create();
        var (solver, options) = Setup(method, step);
        var whole = new StageVjpOde(p.Net);
        var viaWhole = Gradients(p, whole, solver, options, withTimes: true, out var stats);
        Assert.Equal(1, whole.StackedEvaluations);
        var blocked = new StageVjpOde(p.Net);
        int stages = ((ExplicitRungeKutta)((OneStepSolver)solver).Method).Tableau.Stages;
        StageAdjoint.BlockRowsOverride = 2 * stages * 3 * 2;
        Tensor[] viaBlocks;
        try { viaBlocks = Gradients(p, blocked, solver, options, withTimes: true, out _); }
        finally { StageAdjoint.BlockRowsOverride = 0; }
        Assert.Equal((stats.AcceptedSteps + 1) / 2, blocked.StackedEvaluations);
        for (int i = 0; i < viaWhole.Length; i++)
        {
            double norm = viaWhole[i].norm().item<double>();
            double difference = viaBlocks[i].sub(viaWhole[i]).norm().item<double>();
            Assert.True(norm > 0, $"{method}: gradient {i} is zero, so the comparison checks nothing");
            Assert.True(difference <= 1e-12 * norm, $"{method} h={step}: gradient {i} differs by {difference / norm:E2} relative between one block and blocks of two steps");
        }
    }

    [Fact]
    public void WideStatesAndRowsThatDoNotStackKeepAutograd()
    {
        // The sweep forms an n × n Jacobian per row and stage point (n backward passes), so states wider than MaxStates stay
        // on autograd through the steps; so do systems whose rows must not be stacked (a module mixing rows, per-trajectory
        // inputs).
        var p = Create();
        var (solver, options) = Setup("rk4", 0.03);
        var wide = zeros(3, StageAdjoint.MaxStates + 1, dtype: float64);
        Assert.False(StageAdjoint.Applies(new StageVjpOde(p.Net), wide, solver, options));
        var system = new StageVjpOde(p.Net, rowsStack: false);
        Gradients(p, system, solver, options, withTimes: false, out _);
        Assert.Equal(0, system.StackedEvaluations);
    }

    [Fact]
    public void AGradientOfTheGradientEqualsAutogradsThroughTheSteps()
    {
        // The sweep itself is not differentiable, so a create_graph backward recomputes the solve with autograd through the
        // steps: first and second derivatives must be those of the autograd path (float64, same steps: rounding only).
        var p = Create();
        var (solver, options) = Setup("rk4", 0.03);
        Tensor[] SecondOrder(IOdeSystem system, out Tensor[] first)
        {
            var wrt = p.Wrt(withTimes: false);
            var solution = Ode.Solve(system, p.Y0, p.Ts, solver, options, GradientMethod.Direct);
            var g = BackwardPass.Grad([p.Loss(solution.Ys)], wrt, createGraph: true).Select(x => x!).ToArray();
            Assert.All(g, x => Assert.True(x.requires_grad, "the create_graph gradient must carry a graph"));
            first = [.. g.Select(x => x.detach())];
            var penalty = g.Select(x => x.square().sum()).Aggregate((x, y) => x.add(y));
            return [.. BackwardPass.Grad([penalty], wrt).Select(x => x!.detach())];
        }
        var stage = new StageVjpOde(p.Net);
        Assert.True(StageAdjoint.Applies(stage, p.Y0, solver, options), "the solve must run as the stage adjoint");
        var stageSecond = SecondOrder(stage, out var stageFirst);
        // The create_graph pass recomputed the solve instead of sweeping; the second pass sweeps once more, through ys in the
        // loss's quadratic term (a first-order backward of the same node).
        Assert.Equal(1, stage.StackedEvaluations);
        var autogradSecond = SecondOrder(AutogradRatesVjp.For(p.Net), out var autogradFirst);
        Assert.True(BacksolveAdjointTests.RelativeDifference(autogradFirst, stageFirst) <= 1e-12, "first derivatives");
        Assert.True(BacksolveAdjointTests.RelativeDifference(autogradSecond, stageSecond) <= 1e-12, "second derivatives");
    }

    [Fact]
    public void LargeBatchesTimesWidthKeepAutograd()
    {
        // Above batch × widest layer = MaxRowsTimesWidth the doubled network evaluations and n + 1 passes cost more than
        // autograd's per-op overhead saves (measured), so the stage adjoint steps aside. The test net's widest layer is 8.
        var p = Create();
        var (solver, options) = Setup("rk4", 0.03);
        long limit = StageAdjoint.MaxRowsTimesWidth / 8;
        Assert.True(StageAdjoint.Applies(new StageVjpOde(p.Net), zeros(limit, 2, dtype: float64), solver, options));
        Assert.False(StageAdjoint.Applies(new StageVjpOde(p.Net), zeros(limit + 1, 2, dtype: float64), solver, options));
    }

    [Theory]
    [InlineData("rk4", 0.03)]
    [InlineData("dopri5", 0)]
    public void MatchesCentralFiniteDifferences(string method, double step)
    {
        // Central differences need a loss that is a smooth function of the inputs, so the discretisation must not move
        // with them: rk4 at a fixed step, and dopri5 held at h = 0.05 (first step = max step, a tolerance no step fails),
        // with the step count asserted unchanged under every perturbation.
        var p = Create();
        var (solver, options) = Setup(method, step);
        if (step == 0) options = new SolverOptions { FirstStep = 0.05, MaxStep = 0.05, RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-2, Backend = Backend.Torch };
        var system = new StageVjpOde(p.Net);
        var grads = Gradients(p, system, solver, options, withTimes: false, out var stats);
        var wrt = p.Wrt(false);
        double Loss()
        {
            using var noGrad = no_grad();
            var solution = Ode.Solve(system, p.Y0, p.Ts, solver, options);
            Assert.Equal(stats.AcceptedSteps, solution.Stats.AcceptedSteps);
            return p.Loss(solution.Ys).item<double>();
        }
        for (int i = 0; i < wrt.Length; i++)
        {
            var v = FiniteDifferences.Direction(wrt[i], 40 + i);
            double fd = FiniteDifferences.Directional(Loss, wrt[i], v);
            double error = FiniteDifferences.RelativeError(grads[i], v, fd);
            // 1e-6: the finite-difference error (~1e-10) with a wide margin; a wrong adjoint term is O(h) or larger.
            Assert.True(error <= 1e-6, $"{method}: tensor {i} relative error {error:E2}");
        }
    }
}
