using TorchSharp;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.TestProblems;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>A solve leaves only its result alive, however many steps it takes.</summary>
public class DisposeScopeTests
{
    [Theory]
    [InlineData("dopri5", ErrorNorm.Batch)]
    [InlineData("dopri8", ErrorNorm.PerTrajectory)]
    [InlineData("bosh3", ErrorNorm.PerTrajectory)]
    [InlineData("rk4", ErrorNorm.Batch)]
    public void LiveTensorsDoNotGrowWithSteps(string name, ErrorNorm norm)
    {
        var solver = NodeDsl.Runtime.Solvers.ByName(name);
        long LiveAfterSolve(double end)
        {
            using var scope = NewDisposeScope();
            var y0 = torch.tensor(new double[] { 1, 1, 2, 1 }, [2, 2], ScalarType.Float64);
            var ts = Times(0, end / 3, end);
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            // Tight tolerances keep adaptive solves at many steps: with the I-controller start-up (2026-11-30) dopri8 crossed
            // [0, 1] in 3 steps at the default rtol, too few for the comparison below to mean anything.
            var options = new SolverOptions { Norm = norm, StepSize = 0.05 };
            if (solver.IsAdaptive) options = options with { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 };
            var sol = Ode.Solve(LotkaVolterra, y0, ts, solver, options);
            Assert.True(sol.Stats.AcceptedSteps > 3);
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
        LiveAfterSolve(1); // warm up per-method caches (coefficient tensors live as long as the method)
        long few = LiveAfterSolve(1), many = LiveAfterSolve(20);
        // Only the result tensors survive the solve, whether it took ~10 steps or ~400.
        Assert.Equal(few, many);
        Assert.InRange(few, 1, 3);
    }

    [Theory]
    [InlineData("rk4", ErrorNorm.Batch)]
    [InlineData("dopri5", ErrorNorm.Batch)]
    [InlineData("tsit5", ErrorNorm.PerTrajectory)]
    public void TensorsTheCallerOwnsAreNeverDisposed(string name, ErrorNorm norm)
    {
        using var scope = NewDisposeScope();
        // Rates that return the same captured tensor every time (y' = c), and an initial state the caller keeps using.
        var c = torch.tensor(new double[] { 1, -2 }, [1, 2], ScalarType.Float64);
        var y0 = torch.zeros(1, 2, ScalarType.Float64);
        var sol = Ode.Solve((t, y) => c, y0, Times(0, 0.5, 1), NodeDsl.Runtime.Solvers.ByName(name),
            new SolverOptions { StepSize = 0.1, Norm = norm });
        Assert.False(c.IsInvalid);
        Assert.False(y0.IsInvalid);
        Assert.Equal(-2.0, sol.Ys[-1, 0, 1].item<double>(), 12); // y(1) = c·1, exact for every method
    }
}
