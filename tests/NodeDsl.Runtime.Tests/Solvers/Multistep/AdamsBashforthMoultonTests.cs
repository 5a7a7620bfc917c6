using NodeDsl.Runtime.Tests.Implicit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SolverRegistry = NodeDsl.Runtime.Solvers;

namespace NodeDsl.Runtime.Tests.Multistep;

/// <summary>Order, cost and batching of the fixed-step Adams–Bashforth–Moulton method.</summary>
public class AdamsBashforthMoultonTests(ITestOutputHelper output)
{
    // Created per use: a static tensor would be disposed by the first test's dispose scope.
    static Tensor A => tensor(new double[,] { { -0.1, 2.0 }, { -2.0, -0.1 } }, float64);

    [Fact]
    public void DampedOscillatorConvergesWithOrderFour()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 1.0, 0.5 }, { -0.3, 2.0 } }, float64);
        const double tEnd = 4.0;
        var exact = StiffProblems.LinearSolution(A, y0, tensor(new[] { tEnd }, float64))[0];
        // h from 0.1 to 0.0125: |hλ| ≤ 0.2 is well inside the PECE stability region, and errors (1e-5 … 1e-9) stay far
        // above round-off, so the asymptotic slope shows.
        var (slope, errors) = ConvergenceOrder.Measure(SolverRegistry.AdamsBashforthMoulton,
            StiffProblems.Linear(A), y0, tEnd, exact, [40, 80, 160, 320]);
        output.WriteLine($"abm damped oscillator: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        // The issue's acceptance band: nominal order ± 0.3.
        Assert.InRange(slope, 4 - 0.3, 4 + 0.3);
    }

    [Fact]
    public void CostsTwoEvaluationsPerStepAfterFourRk4StartingEvaluations()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 1.0, 0.5 } }, float64);
        var solution = Ode.Solve(StiffProblems.Linear(A), y0, linspace(0, 2, 5, float64), SolverRegistry.AdamsBashforthMoulton,
            new SolverOptions { StepSize = 0.1 });
        Assert.Equal(20, solution.Stats.AcceptedSteps);
        // f(t0), then 3 RK4 steps (3 stages + f(t1) each), then 17 PECE steps (predictor + f(t1) each).
        Assert.Equal(1 + 3 * 4 + 17 * 2, solution.Stats.FunctionEvaluations);
    }

    [Fact]
    public void BatchedRowsEqualSingleSolves()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 1.0, 0.5 }, { -0.3, 2.0 }, { 4.0, -1.0 } }, float64);
        var ts = tensor(new[] { 0.0, 0.37, 1.5, 3.0 }, float64);
        var options = new SolverOptions { StepSize = 0.05 };
        var batched = Ode.Solve(StiffProblems.Linear(A), y0, ts, SolverRegistry.AdamsBashforthMoulton, options).Ys;
        for (int r = 0; r < 3; r++)
        {
            var single = Ode.Solve(StiffProblems.Linear(A), y0[r].unsqueeze(0), ts, SolverRegistry.AdamsBashforthMoulton, options).Ys;
            // Same steps and the same arithmetic per row: equal up to the round-off of batched matmul reductions.
            Assert.True(single[.., 0].allclose(batched[.., r], rtol: 1e-14, atol: 1e-14), $"row {r} differs");
        }
    }

    [Fact]
    public void ShortenedLastStepRestartsWithRk4AndStaysAccurate()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 1.0, 0.5 } }, float64);
        // 2.03 / 0.1: 20 full steps and a last step of 0.03 (a different h, so the history no longer fits the grid).
        var ts = tensor(new[] { 0.0, 2.03 }, float64);
        var solution = Ode.Solve(StiffProblems.Linear(A), y0, ts, SolverRegistry.AdamsBashforthMoulton, new SolverOptions { StepSize = 0.1 });
        var exact = StiffProblems.LinearSolution(A, y0, ts)[1];
        Assert.Equal(21, solution.Stats.AcceptedSteps);
        Assert.Equal(1 + 3 * 4 + 17 * 2 + 4, solution.Stats.FunctionEvaluations);
        // ABM4 with h = 0.1 on this problem has global error ≈ 4e-4 at t = 4 (order test) and ≈ 2e-4 at t = 2; a broken
        // restart (wrong h in the AB/AM weights) would give O(h) = 1e-2.
        double error = solution.Ys[1].sub(exact).abs().max().item<double>();
        Assert.True(error < 1e-3, $"error {error}");
    }
}
