using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>The checkpointed adjoint: exact gradients of its discrete forward solve, with bounded checkpoints.</summary>
[Collection(nameof(GradientCollection))]
public class CheckpointedAdjointTests
{
    [Theory]
    [MemberData(nameof(DirectGradientTests.Cases), MemberType = typeof(DirectGradientTests))]
    public void MatchesFiniteDifferences(string caseName, string solverName)
    {
        // Same argument as for direct backprop: the replay differentiates the forward discretisation exactly.
        var c = GradientCase.Create(caseName);
        var (solver, options) = GradientCheck.Solver(solverName);
        var (error, where) = GradientCheck.MaxError(c, GradientMethod.Checkpointed(), solver, options);
        Assert.True(error <= 1e-6, $"{caseName}/{solverName}: relative error {error:E2} at {where}");
    }

    [Theory]
    [InlineData("node")]
    [InlineData("pendulum")]
    public void EqualsDirectBackpropForFixedSteps(string caseName)
    {
        // With a fixed step and output intervals that are multiples of it (0.1 and 0.2 here, h = 0.02), checkpoints at
        // output times and at multiples of the step do not change the steps, so the checkpointed gradient is the direct
        // gradient up to the order of floating-point sums (1e-12 relative). (Otherwise each segment restarts the step
        // grid and the checkpointed forward is a slightly different, equally exact-to-itself discretisation.)
        var c = GradientCase.Create(caseName);
        var (solver, options) = GradientCheck.Rk4;
        var direct = GradientCheck.Gradients(c, GradientMethod.Direct, solver, options);
        foreach (var checkpoints in new[] { new CheckpointOptions(), new CheckpointOptions { OutputsPerSegment = 1 }, new CheckpointOptions { OutputsPerSegment = 3 }, new CheckpointOptions { StepsPerSegment = 4 } })
        {
            var replayed = GradientCheck.Gradients(c, GradientMethod.Checkpointed(checkpoints), solver, options);
            for (int i = 0; i < direct.Length; i++)
            {
                double difference = direct[i].sub(replayed[i]).norm().item<double>();
                double scale = direct[i].norm().item<double>();
                Assert.True(difference <= 1e-12 * Math.Max(scale, 1), $"{c.Checked[i].Name} with {checkpoints}: {difference:E2} vs {scale:E2}");
            }
        }
    }

    [Fact]
    public void StoresOneCheckpointPerSegmentAndReportsReplays()
    {
        var c = GradientCase.Create("lv");
        var (solver, options) = GradientCheck.Rk4;
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(c.System, c.Y0, c.Ts, solver, options, GradientMethod.Checkpointed(new CheckpointOptions { OutputsPerSegment = 1, StepsPerSegment = 5 }));
        // 1.5 time units at h = 0.02 are 75 steps: with a checkpoint every 5 steps and at each of the 6 output intervals
        // (0.25 = 12.5 steps: splits after 5 and 10 steps) there are 3 segments per interval, 18 in all; the replay
        // evaluates f as often as the forward pass except for the rates after the very last step, which nothing uses.
        Assert.Equal(18, solution.Gradient!.Checkpoints);
        Assert.Null(solution.Gradient.Backward);
        c.Loss(solution.Ys).backward();
        Assert.Equal(solution.Stats.FunctionEvaluations - 1, solution.Gradient.Backward!.FunctionEvaluations);
    }
}
