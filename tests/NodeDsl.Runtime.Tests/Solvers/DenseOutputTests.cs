using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.TestProblems;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>Output times come from each step's interpolant: they cost no steps and are as accurate as the interpolant.</summary>
public class DenseOutputTests(ITestOutputHelper output)
{
    public static TheoryData<string> Adaptive => ["bosh3", "dopri5", "tsit5", "dopri8"];

    static readonly double[] Irregular = [0, 0.013, 0.2, 0.21, 0.7, 1.33, 1.9, 1.999, 2];

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void IrregularOutputTimesAddNoSteps(string name)
    {
        using var scope = NewDisposeScope();
        var solver = NodeDsl.Runtime.Solvers.ByName(name);
        var options = new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 };
        var y0 = LinearY0();
        var dense = Ode.Solve(Linear(), y0, Times(Irregular), solver, options);
        var endpoints = Ode.Solve(Linear(), y0, Times(0, 2), solver, options);
        Assert.Equal(endpoints.Stats.AcceptedSteps, dense.Stats.AcceptedSteps);
        Assert.Equal(endpoints.Stats.RejectedSteps, dense.Stats.RejectedSteps);
        // Same steps, so the end value is the same tensor arithmetic (bit for bit up to the last step's round-off).
        Assert.True(MaxAbs(dense.Ys[-1], endpoints.Ys[-1]) <= 1e-15);
        if (name != "dopri8") Assert.Equal(endpoints.Stats.FunctionEvaluations, dense.Stats.FunctionEvaluations);

        double worst = 0;
        for (int i = 1; i < Irregular.Length; i++)
        {
            var single = Ode.Solve(Linear(), y0, Times(0, Irregular[i]), solver, options).Ys[-1];
            worst = Math.Max(worst, MaxAbs(dense.Ys[i], single));
        }
        output.WriteLine($"{name}: dense vs one-at-a-time max difference {worst:E2}; {dense.Stats}");
        // Both are within the global error of the exact solution (≈ 10–100·rtol for |y| ≈ 2 over two time units).
        Assert.True(worst < 1e-6, $"{name}: {worst:E2}");
    }

    // Interpolant order q: local interpolation error O(h^(q+1)), so the error at off-step times falls like h^min(p, q+1).
    [Theory]
    [InlineData("dopri5", 4, new[] { 8, 12, 16, 24 })]
    [InlineData("tsit5", 4, new[] { 16, 24, 32, 48 })]
    [InlineData("dopri8", 7, new[] { 6, 8, 10, 12 })]
    [InlineData("bosh3", 3, new[] { 16, 32, 64, 128 })]   // cubic Hermite
    [InlineData("rk4", 3, new[] { 8, 16, 32, 64 })]       // cubic Hermite
    public void DenseOutputConvergesAtInterpolantOrder(string name, int interpolantOrder, int[] stepCounts)
    {
        using var scope = NewDisposeScope();
        var solver = NodeDsl.Runtime.Solvers.ByName(name);
        var fixedStep = solver.IsAdaptive ? AsFixedStep(solver) : solver;
        var y0 = LinearY0();
        var h = stepCounts.Select(n => 2.0 / n).ToArray();
        var errors = h.Select(step =>
        {
            int n = (int)Math.Round(2 / step);
            // One output at θ = 0.3 inside every step, plus the end points.
            var times = new[] { 0.0 }.Concat(Enumerable.Range(0, n).Select(i => (i + 0.3) * step)).Append(2.0).ToArray();
            var sol = Ode.Solve(Linear(), y0, Times(times), fixedStep, new SolverOptions { StepSize = step });
            var exact = torch.stack(times.Select(t => LinearExact(y0, 0, t)).ToArray());
            return MaxAbs(sol.Ys, exact);
        }).ToArray();
        double slope = Slope(h, errors);
        output.WriteLine($"{name}: dense-output error order {slope:F2} (interpolant order {interpolantOrder}); errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        // Order ≥ q means a slope of at least q + 1 − 0.3 at off-step times (0.3: fit uncertainty over four step sizes).
        Assert.True(slope >= Math.Min(solver.Order, interpolantOrder + 1) - 0.3, $"{name}: slope {slope:F2}");
    }
}
