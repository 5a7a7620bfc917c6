using TorchSharp;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.TestProblems;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>A batch of initial states gives the same trajectories as solving each on its own.</summary>
public class BatchTests
{
    static readonly double[] States = [1, -0.5, 2, 0.1, 0.2, -0.3, -3, 4, 0.5, 1e-3, 0, 1e-3];
    static readonly double[] OutputTimes = [0, 0.37, 1.1, 2.9, 3];

    static Tensor Batch() => torch.tensor(States, [4, 3], ScalarType.Float64);

    [Fact]
    public void BatchNormMatchesSingleSolvesWithinTolerance()
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 };
        var batch = Ode.Solve(Linear(), Batch(), Times(OutputTimes), NodeDsl.Runtime.Solvers.Dopri5, options);
        for (int r = 0; r < 4; r++)
        {
            var single = Ode.Solve(Linear(), Batch()[r..(r + 1)], Times(OutputTimes), NodeDsl.Runtime.Solvers.Dopri5, options);
            // The shared step differs from the row's own, so both differ from the exact solution by the global error,
            // ≲ 100·(rtol·|y| + atol) ≈ 1e-6 here.
            Assert.True(MaxAbs(batch.Ys[.., r..(r + 1)], single.Ys) < 1e-6);
        }
        var exact = torch.stack(OutputTimes.Select(t => LinearExact(Batch(), 0, t)).ToArray());
        Assert.True(MaxAbs(batch.Ys, exact) < 1e-6); // same global-error bound against the matrix exponential
    }

    [Theory]
    [InlineData("dopri5")]
    [InlineData("tsit5")]
    [InlineData("dopri8")]
    [InlineData("bosh3")]
    public void PerTrajectoryRowsMatchTheirOwnSolves(string name)
    {
        using var scope = NewDisposeScope();
        var solver = NodeDsl.Runtime.Solvers.ByName(name);
        var options = new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9, Norm = ErrorNorm.PerTrajectory };
        var batch = Ode.Solve(Linear(), Batch(), Times(OutputTimes), solver, options);
        for (int r = 0; r < 4; r++)
        {
            var y0 = Batch()[r..(r + 1)];
            var own = Ode.Solve(Linear(), y0, Times(OutputTimes), solver, options);
            // Each row takes exactly its own step sequence, so only round-off (matmul blocking) differs.
            Assert.True(MaxAbs(batch.Ys[.., r..(r + 1)], own.Ys) < 1e-12, $"row {r}: per-row batch vs per-row single");
            var shared = Ode.Solve(Linear(), y0, Times(OutputTimes), solver, options with { Norm = ErrorNorm.Batch });
            // A batch of one in batch mode takes the same steps too; the per-row path scales by h with addcmul.
            Assert.True(MaxAbs(own.Ys, shared.Ys) < 1e-12, $"row {r}: per-row vs batch mode");
        }
    }

    [Fact]
    public void PerTrajectoryLetsSlowRowsTakeLongSteps()
    {
        using var scope = NewDisposeScope();
        // Row 0 oscillates 30× faster than row 1: with a shared step, row 1 pays for row 0.
        var speed = torch.tensor(new double[] { 30, 1 }, [2, 1], ScalarType.Float64);
        OdeFunc f = (t, y) => Oscillator(t, y).mul(speed);
        var y0 = torch.tensor(new double[] { 1, 0, 1, 0 }, [2, 2], ScalarType.Float64);
        var options = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8, Norm = ErrorNorm.PerTrajectory };
        var sol = Ode.Solve(f, y0, Times(0, 0.5, 1), NodeDsl.Runtime.Solvers.Dopri5, options);
        for (int r = 0; r < 2; r++)
        {
            double w = r == 0 ? 30 : 1;
            foreach (var (k, t) in new[] { (1, 0.5), (2, 1.0) })
            {
                var exact = OscillatorExact(1, 0, w * t);
                // Rows are solved to rtol 1e-6: global error ≲ 1e-4 over 30·2 rad / 2π ≈ 10 periods.
                Assert.True(Math.Abs(sol.Ys[k, r, 0].item<double>() - exact[0]) < 1e-4, $"row {r} at t = {t}");
            }
        }
    }
}
