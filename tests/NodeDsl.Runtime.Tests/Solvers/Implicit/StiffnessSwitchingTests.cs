using Xunit.Abstractions;
using static TorchSharp.torch;
using SolverRegistry = NodeDsl.Runtime.Solvers;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>"auto": Dopri5 that detects stiffness (Hairer's hλ estimate) and switches to Radau5, reporting where.</summary>
public class StiffnessSwitchingTests(ITestOutputHelper output)
{
    static readonly SolverOptions Options = new() { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8 };

    [Fact]
    public void NonStiffProblemNeverSwitchesAndIsExactlyDopri5()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[,] { { -0.1, 2.0 }, { -2.0, -0.1 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 0.5 } }, float64);
        var ts = linspace(0, 10, 11, dtype: float64);
        var auto = Ode.Solve(StiffProblems.Linear(a), y0, ts, SolverRegistry.Auto, Options);
        var dopri5 = Ode.Solve(StiffProblems.Linear(a), y0, ts, SolverRegistry.Dopri5, Options);
        output.WriteLine($"auto {auto.Stats}");
        Assert.Null(auto.Stats.Switch);
        // Same steps and arithmetic as Dopri5 itself (the estimate runs beside it, under no-grad).
        Assert.Equal(dopri5.Stats, auto.Stats);
        Assert.Equal(0, auto.Ys.sub(dopri5.Ys).abs().max().item<double>());
    }

    [Fact]
    public void ProblemThatBecomesStiffSwitchesWhenItDoesAndStaysAccurate()
    {
        using var scope = NewDisposeScope();
        // Prothero–Robinson with growing stiffness λ(t) = −10^t, exact solution cos t. Before t = 1 (|λ| ≤ 10) Dopri5's
        // accuracy-limited steps (~0.05) cannot look stiff. Once |hλ| passes its stability boundary the unstable mode
        // starts from round-off (the solution is exactly cos t), so the step is only cut back, and the test only fires,
        // after it has grown to the tolerance: measured at t ≈ 3.8 (|λ| ≈ 6000, h ≈ 5e-4). By t = 4.5 (|λ| ≈ 3e4)
        // Dopri5 is long held at the boundary.
        var system = new DelegateOdeSystem((t, y) => y.sub(t.cos()).mul(ScalarOps.Pow(10.0, t).neg()).sub(t.sin()));
        var ts = tensor(new[] { 0.0, 1.0, 2.0, 3.0, 5.0 }, float64);
        var solution = Ode.Solve(system, ones(1, 1, float64), ts, SolverRegistry.Auto, Options);
        output.WriteLine($"auto {solution.Stats}");
        var change = Assert.NotNull(solution.Stats.Switch);
        Assert.Equal(("dopri5", "radau5"), (change.From, change.To));
        Assert.InRange(change.Time, 1.0, 4.5);
        for (int i = 1; i < ts.shape[0]; i++)
        {
            double t = ts[i].item<double>();
            double error = Math.Abs(solution.Ys[i, 0, 0].item<double>() - Math.Cos(t));
            // Within a few tolerances of cos t on both sides of the switch (rtol 1e-6 on |y| ≤ 1).
            Assert.True(error < 1e-5, $"t = {t}: error {error}");
        }
        // Dopri5 alone needs ~|λ|/3.3 steps per unit time at the end (λ = −1e5: ~15000 for the last half unit): it does
        // not finish in 3× the steps.
        var limit = 3 * (solution.Stats.AcceptedSteps + solution.Stats.RejectedSteps);
        Assert.Throws<MaxStepsExceededException>(() => Ode.Solve(system, ones(1, 1, float64), ts, SolverRegistry.Dopri5, Options with { MaxSteps = limit }));
    }

    [Fact]
    public void StiffVanDerPolSwitchesEarlyAndMatchesRadau5()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 2.0, 0.0 } }, float64);
        var ts = tensor(new[] { 0.0, 100.0 }, float64);
        var auto = Ode.Solve(StiffProblems.VanDerPol(1000), y0, ts, SolverRegistry.Auto, Options);
        var radau = Ode.Solve(StiffProblems.VanDerPol(1000), y0, ts, SolverRegistry.Radau5, Options with { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-11 });
        output.WriteLine($"auto {auto.Stats}; difference to a tight Radau5 solve {auto.Ys[1].sub(radau.Ys[1]).abs().max().item<double>():E2}");
        var change = Assert.NotNull(auto.Stats.Switch);
        // Stiff from the start (the slow manifold, λ ≈ −μ(x² − 1) ≈ −3000): 15 stiff-looking steps of ~1e-3 in.
        Assert.True(change.Time < 0.1, $"switched at {change.Time}");
        // The whole solve takes a few hundred steps, as Radau5 alone would (Dopri5 would need ~1e5).
        Assert.True(auto.Stats.AcceptedSteps < 1000, $"{auto.Stats.AcceptedSteps} steps");
        // On the slow manifold errors are damped: the end value is within a few tolerances of the tight solve.
        Assert.True(auto.Ys[1].allclose(radau.Ys[1], rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void TableauWithoutAStiffnessEstimateIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StiffnessSwitching("x",
            new ExplicitRungeKutta("bosh3", Tableaus.BogackiShampine.Tableau), new Radau5()));
        Assert.Contains("last two stages", ex.Message);
    }
}
