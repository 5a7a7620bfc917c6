using NodeDsl.Runtime.Ensembles;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Ensembles;

public sealed class EnsembleNeuralOdeTests
{
    const int M = 4, B = 5, N = 2;

    [Fact]
    public void BatchedRatesEqualEachMemberRunSeparately()
    {
        var ode = EnsembleTestModels.Ensemble(M, N, [8, 8], seed: 3);
        using var y = EnsembleTestModels.Random(11, M * B, N);    // each member gets its own B rows
        using var t = tensor(0.0, ScalarType.Float64);
        using var batched = ode.Rates(t, y);
        for (int j = 0; j < M; j++)
        {
            var member = EnsembleTestModels.Member(ode.Network, j);
            using var rows = y.narrow(0, j * B, B);
            using var alone = member.forward(rows);
            // Same float64 arithmetic up to summation order (bmm vs addmm): differences are a few ulps of O(1) values.
            Assert.True(batched.narrow(0, j * B, B).allclose(alone, rtol: 0, atol: 1e-12), $"member {j}");
        }
    }

    [Fact]
    public void OneBatchedRk4SolveEqualsSolvingEachMemberAlone()
    {
        var ode = EnsembleTestModels.Ensemble(M, N, [16], seed: 5);
        double[] y0 = [1.0, -0.5];
        var times = Enumerable.Range(0, 21).Select(i => i * 0.1).ToArray();
        var options = new SolverOptions { StepSize = 0.05 };
        var all = EnsembleForecast.Members(ode, M, y0, times, NodeDsl.Runtime.Solvers.Rk4, options);
        for (int j = 0; j < M; j++)
        {
            var member = EnsembleTestModels.Member(ode.Network, j);
            var alone = EnsembleForecast.Members(new DelegateOdeSystem((_, y) => member.forward(y)), 1, y0, times, NodeDsl.Runtime.Solvers.Rk4, options);
            for (int i = 0; i < times.Length; i++)
                for (int k = 0; k < N; k++) Assert.Equal(alone[0, i, k], all[j, i, k], 1e-12);   // 40 steps of ulp-level rate differences
        }
        Assert.NotEqual(all[0, 20, 0], all[1, 20, 0], 1e-3);   // the members really differ
    }

    [Fact]
    public void AdaptiveSolveWithPerTrajectoryNormGivesEachMemberItsOwnSteps()
    {
        // With ErrorNorm.PerTrajectory every row accepts/rejects on its own error, so a member's solution does not
        // depend on the others (a shared batch norm would couple their step sizes).
        var ode = EnsembleTestModels.Ensemble(M, N, [16], seed: 7);
        double[] y0 = [0.3, 0.8];
        var times = Enumerable.Range(0, 11).Select(i => i * 0.3).ToArray();
        var options = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8, Norm = ErrorNorm.PerTrajectory };
        var all = EnsembleForecast.Members(ode, M, y0, times, NodeDsl.Runtime.Solvers.Dopri5, options);
        for (int j = 0; j < M; j++)
        {
            var member = EnsembleTestModels.Member(ode.Network, j);
            var alone = EnsembleForecast.Members(new DelegateOdeSystem((_, y) => member.forward(y)), 1, y0, times, NodeDsl.Runtime.Solvers.Dopri5, options);
            for (int i = 0; i < times.Length; i++)
                for (int k = 0; k < N; k++) Assert.Equal(alone[0, i, k], all[j, i, k], 1e-10);   // far below rtol 1e-6: same steps
        }
    }

    [Fact]
    public void RowsThatAreNotMembersTimesBatchAreRejectedWithTheRemedy()
    {
        var ode = EnsembleTestModels.Ensemble(M, N, [4], seed: 1);
        using var y = zeros(M * B + 1, N, ScalarType.Float64);
        using var t = tensor(0.0, ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => ode.Rates(t, y));
        Assert.Contains("Replicate", e.Message);
        Assert.Contains($"{M} members", e.Message);
    }

    [Fact]
    public void ReplicateAndSplitUseMemberMajorRows()
    {
        using var rows = tensor(new double[] { 1, 2, 3, 4 }, [2, 2], ScalarType.Float64);
        using var stacked = EnsembleRows.Replicate(rows, 3);
        Assert.Equal([6L, 2], stacked.shape);
        Assert.Equal(1.0, stacked[4, 0].item<double>());                  // member 2, row 0
        Assert.Equal(3.0, stacked[5, 0].item<double>());                  // member 2, row 1
        using var ys = stacked.unsqueeze(0);
        using var split = EnsembleRows.Split(ys, 3);
        Assert.Equal([1L, 3, 2, 2], split.shape);
        Assert.Equal(4.0, split[0, 1, 1, 1].item<double>());              // member 1, row 1, component 1
    }
}
