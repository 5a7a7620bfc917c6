using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// The backsolve adjoint's check of its backward reconstruction of y against the forward solution, on dy/dt = A y with
/// eigenvalues −1 and −1000 and 11 output times in [0, 1]: backwards, the fast mode amplifies errors by e^{100} per
/// output interval. Before the check, backsolve returned ∂L/∂A₀₁ = 1.0e33 here (Dopri5; direct: 7.83e-3), without an error.
/// </summary>
[Collection(nameof(GradientCollection))]
public class ReconstructionDriftTests
{
    /// <summary>A solver that only forwards to another: not a one-step method, so the backsolve takes its per-interval path.</summary>
    sealed class Forwarding(IOdeSolver inner) : IOdeSolver
    {
        public string Name => inner.Name;
        public int Order => inner.Order;
        public bool IsAdaptive => inner.IsAdaptive;
        public OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options) => inner.Integrate(system, y0, ts, options);
    }

    static (IOdeSolver Solver, SolverOptions Options) Solver(string name) => name switch
    {
        "dopri5" => (Runtime.Solvers.Dopri5, new SolverOptions()),
        // h = 0.002: hλ = −2, inside RK4's stability interval forwards; backwards every step multiplies the fast mode by 7.
        "rk4" => (Runtime.Solvers.Rk4, new SolverOptions { StepSize = 0.002 }),
        "rk4-per-interval" => (new Forwarding(Runtime.Solvers.Rk4), new SolverOptions { StepSize = 0.002 }),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("dopri5")]
    [InlineData("rk4")]
    [InlineData("rk4-per-interval")]
    public void DriftFailsWithATypedExceptionThatRecommendsCheckpointed(string solverName)
    {
        var (solver, options) = Solver(solverName);
        var (a, loss, _) = StiffLoss(solver, options, GradientMethod.Backsolve());

        var e = Assert.Throws<AdjointDriftException>(() => BackwardPass.Run(loss));

        // An output time before the last (Dopri5 leaves the fast mode at noise level ~atol, which grows e^{100}-fold in the
        // first interval back; RK4 damps it to ~1e-24 per interval, so only the last interval, back to y0, shows it).
        Assert.Contains(Enumerable.Range(0, 10), i => Math.Abs(e.Time - i / 10.0) < 1e-12);
        Assert.True(e.Drift > ReconstructionDriftLimit, $"drift {e.Drift}");
        Assert.Contains("GradientMethod.Checkpointed()", e.Message);
        Assert.Contains("AdjointOptions.FallbackToCheckpointed", e.Message);
        Assert.True(a.grad is null || a.grad.IsInvalid, "A received a gradient from the failed backward pass");
    }

    // ReconstructionDrift.Limit (internal): 1000 units of atol + rtol·|y|.
    const double ReconstructionDriftLimit = 1000;

    [Theory]
    [InlineData("dopri5")]
    [InlineData("rk4")]
    [InlineData("rk4-per-interval")]
    public void FallbackGivesTheCheckpointedGradient(string solverName)
    {
        var (solver, options) = Solver(solverName);
        var (checkpointedA, checkpointedLoss, _) = StiffLoss(solver, options, GradientMethod.Checkpointed());
        BackwardPass.Run(checkpointedLoss);
        var (directA, directLoss, _) = StiffLoss(solver, options, GradientMethod.Direct);
        BackwardPass.Run(directLoss);
        var (a, loss, solution) = StiffLoss(solver, options, GradientMethod.Backsolve(new AdjointOptions { FallbackToCheckpointed = true }));

        BackwardPass.Run(loss);

        Assert.True(solution.Gradient!.FellBackToCheckpointed);
        // The fallback runs the same checkpointed computation: equal to the order of floating-point sums (1e-12 relative);
        // checkpointed is the direct gradient of the same forward solve (1e-9: FP sums over ~500 steps of a stiff system).
        Assert.True(RelativeDifference(a.grad!, checkpointedA.grad!) <= 1e-12, $"fallback {Show(a.grad!)} vs checkpointed {Show(checkpointedA.grad!)}");
        Assert.True(RelativeDifference(a.grad!, directA.grad!) <= 1e-9, $"fallback {Show(a.grad!)} vs direct {Show(directA.grad!)}");
    }

    [Fact]
    public void AHealthyBacksolveDoesNotFallBack()
    {
        // A non-stiff system (eigenvalues −1 and −2): the reconstruction stays within a few tolerance units.
        var a = tensor(new double[,] { { -1, 1 }, { 0, -2 } }, float64).requires_grad_(true);
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.matmul(a.t())), a);
        var solution = Ode.Solve(system, tensor(new double[,] { { 1, 1 } }, float64), linspace(0, 1, 11, dtype: float64),
            Runtime.Solvers.Dopri5, new SolverOptions(), GradientMethod.Backsolve(new AdjointOptions { FallbackToCheckpointed = true }));
        BackwardPass.Run(solution.Ys.square().sum());
        Assert.False(solution.Gradient!.FellBackToCheckpointed);
        Assert.True(a.grad!.isfinite().all().item<bool>());
    }

    /// <summary>L = Σ ys² for dy/dt = A y, A = [[−1, 1], [0, −1000]] (learnable), y0 = (1, 1), 11 output times in [0, 1].</summary>
    static (Tensor A, Tensor Loss, OdeSolution Solution) StiffLoss(IOdeSolver solver, SolverOptions options, GradientMethod method)
    {
        var a = tensor(new double[,] { { -1, 1 }, { 0, -1000 } }, float64).requires_grad_(true);
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.matmul(a.t())), a);
        var solution = Ode.Solve(system, tensor(new double[,] { { 1, 1 } }, float64), linspace(0, 1, 11, dtype: float64), solver, options, method);
        return (a, solution.Ys.square().sum(), solution);
    }

    static string Show(Tensor x) => string.Join(", ", x.contiguous().data<double>().ToArray().Select(v => v.ToString("G6")));

    static double RelativeDifference(Tensor x, Tensor reference) => x.sub(reference).norm().item<double>() / reference.norm().item<double>();
}
