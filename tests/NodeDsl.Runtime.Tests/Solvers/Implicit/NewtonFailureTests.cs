using NodeDsl.Runtime.Tableaus;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SolverRegistry = NodeDsl.Runtime.Solvers;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// A step whose stage equations simplified Newton cannot solve is rejected (adaptive) or reported (fixed step),
/// never a crash or a silently wrong state. Problem: <c>y' = −k y³</c>, exact <c>y0 / √(1 + 2k y0² t)</c>: with a
/// huge first step the Jacobian at y0 (−3k y0²) is far from the one at the stage solution, so the iteration
/// contracts too slowly (θ ≈ 1) and is abandoned.
/// </summary>
public class NewtonFailureTests(ITestOutputHelper output)
{
    const double K = 1000, Y0 = 10;
    static IOdeSystem Cubic => new DelegateOdeSystem((t, y) => y.pow(3).mul(-K));
    static double Exact(double t) => Y0 / Math.Sqrt(1 + 2 * K * Y0 * Y0 * t);

    [Fact]
    public void AttemptReportsFailureInsteadOfReturningAnUnconvergedState()
    {
        using var scope = NewDisposeScope();
        var method = new Esdirk("kvaerno5", Kvaerno5.Tableau).ForSolve(new SolverOptions());
        var y0 = full(1, 1, Y0, float64);
        var counters = new SolveCounters();
        using var step = StepPoint.Shared(0, 10, float64, CPU);
        var attempt = method.Attempt(Cubic, step, y0, Cubic.Rates(tensor(0.0, float64), y0), counters);
        Assert.True(attempt.Failed);
        Assert.Equal(1, counters.JacobianEvaluations);
        Assert.Equal(1, counters.Factorizations);
        // It gave up within the iteration limit of the first implicit stage (plus the Jacobian's forward pass).
        Assert.InRange(counters.FunctionEvaluations, 2, 1 + SimplifiedNewton.MaxIterations);
    }

    [Fact]
    public void AdaptiveSolveRejectsTheStepShrinksItAndReachesTheExactSolution()
    {
        using var scope = NewDisposeScope();
        var ts = tensor(new[] { 0.0, 1.0, 10.0 }, float64);
        var solution = Ode.Solve(Cubic, full(1, 1, Y0, float64), ts, SolverRegistry.Kvaerno5,
            new SolverOptions { FirstStep = 10, RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 });
        output.WriteLine(solution.Stats.ToString());
        Assert.True(solution.Stats.RejectedSteps >= 1);
        // The Jacobian of a rejected step is reused for its retry: fewer Jacobians than attempts.
        Assert.True(solution.Stats.JacobianEvaluations < solution.Stats.AcceptedSteps + solution.Stats.RejectedSteps);
        for (int i = 1; i < 3; i++)
        {
            double t = ts[i].item<double>();
            double error = Math.Abs(solution.Ys[i, 0, 0].item<double>() - Exact(t));
            output.WriteLine($"t = {t}: error {error:E2} (relative {error / Exact(t):E2})");
            // y falls from 10 to 0.02 within the first time unit (mostly within 1e-3), so relative errors made early
            // dominate: measured ≈ 26·rtol at t = 1. 100·rtol relative keeps the check meaningful (a wrong retry or an
            // unconverged stage gives errors of order 1).
            Assert.True(error < 1e-6 * Exact(t), $"t = {t}: error {error}");
        }
    }

    [Fact]
    public void FixedStepSolveThatCannotConvergeThrowsAnActionableError()
    {
        using var scope = NewDisposeScope();
        var solver = new OneStepSolver(new Esdirk("kvaerno5-fixed", Kvaerno5.Tableau, adaptive: false));
        var ex = Assert.Throws<NewtonConvergenceException>(() => Ode.Solve(Cubic, full(1, 1, Y0, float64),
            tensor(new[] { 0.0, 20.0 }, float64), solver, new SolverOptions { StepSize = 10 }));
        Assert.Equal(0, ex.Time);
        Assert.Contains("StepSize", ex.Message);
    }
}
