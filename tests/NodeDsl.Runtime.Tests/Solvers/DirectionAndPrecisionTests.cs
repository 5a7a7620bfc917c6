using TorchSharp;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.TestProblems;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>Backward integration, float32, autograd through the solve and step statistics.</summary>
public class DirectionAndPrecisionTests
{
    static readonly double[] Backward = [2, 1.4, 0.5, 0];

    [Theory]
    [InlineData("dopri5", ErrorNorm.Batch)]
    [InlineData("tsit5", ErrorNorm.PerTrajectory)]
    [InlineData("dopri8", ErrorNorm.Batch)]
    [InlineData("rk4", ErrorNorm.Batch)]
    public void DecreasingTimesIntegrateBackward(string name, ErrorNorm norm)
    {
        using var scope = NewDisposeScope();
        var y2 = LinearExact(LinearY0(), 0, 2);
        var options = new SolverOptions { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-11, StepSize = 0.01, Norm = norm };
        var sol = Ode.Solve(Linear(), y2, Times(Backward), NodeDsl.Runtime.Solvers.ByName(name), options);
        var exact = torch.stack(Backward.Select(t => LinearExact(y2, 2, t)).ToArray());
        // rtol 1e-9 (adaptive) or RK4 with h = 0.01 (error ≈ 1e-9) over 2 time units: 1e-6 leaves room for amplification
        // (backwards the decaying modes grow by e^1).
        Assert.True(MaxAbs(sol.Ys, exact) < 1e-6);
    }

    [Fact]
    public void Float32Works()
    {
        using var scope = NewDisposeScope();
        var y0 = LinearY0(ScalarType.Float32);
        var ts = torch.tensor(new float[] { 0, 0.5f, 2 });
        var sol = Ode.Solve(Linear(ScalarType.Float32), y0, ts, NodeDsl.Runtime.Solvers.Dopri5,
            new SolverOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-6 });
        Assert.Equal(ScalarType.Float32, sol.Ys.dtype);
        var exact = torch.stack(new[] { 0, 0.5, 2 }.Select(t => LinearExact(LinearY0(), 0, t)).ToArray());
        // rtol 1e-5 global error (≈ 1e-4 on |y| ≈ 2) plus float32 round-off (6e-8 per op, ~100 steps): 1e-3.
        Assert.True(MaxAbs(sol.Ys.to(ScalarType.Float64), exact) < 1e-3);
    }

    [Theory]
    [InlineData(ErrorNorm.Batch)]
    [InlineData(ErrorNorm.PerTrajectory)]
    public void GradientFlowsThroughTheSolve(ErrorNorm norm)
    {
        using var scope = NewDisposeScope();
        var y0 = LinearY0().requires_grad_(true);
        var sol = Ode.Solve(Linear(), y0, Times(0, 0.7, 2), NodeDsl.Runtime.Solvers.Tsit5,
            new SolverOptions { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-11, Norm = norm });
        sol.Ys[-1].sum().backward();
        // y(T) = exp(A T) y0, so d Σ y(T) / d y0 is the column sums of exp(A T).
        var expected = torch.linalg.matrix_exp(LinearA().mul(2)).sum([0L]);
        // Discretised-solution gradient ≈ exact gradient within the solution's own global error (≈ 1e-8).
        Assert.True(MaxAbs(y0.grad!.flatten(), expected) < 1e-6, $"{y0.grad!.flatten().str()} vs {expected.str()}");
    }

    [Fact]
    public void Dopri5UsesSixEvaluationsPerStepThanksToFsal()
    {
        using var scope = NewDisposeScope();
        var sol = Ode.Solve(LotkaVolterra, torch.tensor(new double[] { 1, 1 }, [1, 2], ScalarType.Float64), Times(0, 5),
            NodeDsl.Runtime.Solvers.Dopri5);
        var s = sol.Stats;
        // f(t0, y0) once, one probe for the initial step, then 6 new stages per attempt (the 7th is the next step's first).
        Assert.Equal(2 + 6 * (s.AcceptedSteps + s.RejectedSteps), s.FunctionEvaluations);
    }

    [Fact]
    public void FixedStepLandsExactlyOnTheEnd()
    {
        using var scope = NewDisposeScope();
        // 2 / 0.3 is not an integer: the last step is shortened to end at t = 2.
        var sol = Ode.Solve(Linear(), LinearY0(), Times(0, 2), NodeDsl.Runtime.Solvers.Rk4, new SolverOptions { StepSize = 0.3 });
        Assert.Equal(7, sol.Stats.AcceptedSteps);
        Assert.Equal(1 + 4 * 7, sol.Stats.FunctionEvaluations); // f(t0, y0), then 3 new stages + f(t1, y1) per step (not FSAL)
        // RK4 with h = 0.3: global error ≈ C·h⁴ ≈ 1e-3.
        Assert.True(MaxAbs(sol.Ys[-1], LinearExact(LinearY0(), 0, 2)) < 1e-2);
    }
}
