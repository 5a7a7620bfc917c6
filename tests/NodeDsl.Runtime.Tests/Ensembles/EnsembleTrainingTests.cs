using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Ensembles;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Ensembles;

/// <summary>The Trainer drives a batched anchored ensemble through TrainerOptions.Replicas and ParameterPenalty.</summary>
public sealed class EnsembleTrainingTests
{
    const int M = 3;
    const double NoiseVariance = 0.01, LearningRate = 0.05;

    static TrajectoryDataset Spiral()
    {
        // dy/dt = A y with A = [[−0.1, −1], [1, −0.1]] from (1, 0): y = e^{−0.1t} (cos t, sin t).
        var times = Enumerable.Range(0, 21).Select(i => i * 0.1).ToArray();
        var values = new double[times.Length, 2];
        for (int i = 0; i < times.Length; i++)
            (values[i, 0], values[i, 1]) = (System.Math.Exp(-0.1 * times[i]) * System.Math.Cos(times[i]), System.Math.Exp(-0.1 * times[i]) * System.Math.Sin(times[i]));
        return TrajectoryDataset.Single(times, values, ["x", "y"]);
    }

    static TrainerOptions Options(int replicas, AnchoredRegularizer reg, double learningRate) => new()
    {
        Epochs = 5,
        Seed = 1,
        Solver = NodeDsl.Runtime.Solvers.Rk4,
        SolverOptions = new SolverOptions { StepSize = 0.1 },
        Optimizer = OptimizerSettings.Sgd(learningRate),
        Replicas = replicas,
        ParameterPenalty = reg.Penalty,
    };

    [Fact]
    public void EachMemberOfABatchedEnsembleTrainsExactlyAsItWouldAlone()
    {
        var data = Spiral();
        int count = 21 * 2;
        var ensemble = EnsembleTestModels.Ensemble(M, 2, [8], seed: 21);
        var prior = GaussianPrior.FanInScaled(ensemble.Network, 1.0);
        using var reg = prior.Anchor(new SeededRandom(22), NoiseVariance, count, M);
        var before = prior.Parameters.Select(p => p.detach().clone()).ToArray();

        // The batched loss is the mean over members, so each member's gradient is 1/M of its own: SGD with M·lr
        // takes exactly the step that lr takes for the member alone.
        var result = new Trainer(ensemble, Options(M, reg, M * LearningRate)).Fit(data);
        Assert.All(result.History, m => Assert.True(m.Regularization > 0));

        for (int j = 0; j < M; j++)
        {
            var single = new EnsembleNeuralOde(1, 2, [8], Activation.Tanh, ScalarType.Float64);
            var singlePrior = GaussianPrior.FanInScaled(single.Network, 1.0);
            using (no_grad())
                for (int i = 0; i < before.Length; i++) singlePrior.Parameters[i].copy_(before[i][j].unsqueeze(0));
            using var singleReg = new AnchoredRegularizer(singlePrior.Parameters, reg.Anchors.Select(a => a[j].unsqueeze(0)).ToArray(), reg.Lambdas, 1);
            new Trainer(single, Options(1, singleReg, LearningRate)).Fit(data);
            for (int i = 0; i < before.Length; i++)
            {
                // Only the rounding of (1/M)·(M·lr) against lr separates the two runs: ~1e-16 per step.
                Assert.True(prior.Parameters[i][j].allclose(singlePrior.Parameters[i][0], rtol: 0, atol: 1e-12), $"member {j}, parameter {i}");
                Assert.False(prior.Parameters[i][j].allclose(before[i][j], rtol: 0, atol: 1e-6), "training moved the weights");
            }
        }
    }

    [Fact]
    public void ThePenaltyPullsTowardsTheAnchorsNotTowardsZero()
    {
        var data = Spiral();
        var ensemble = EnsembleTestModels.Ensemble(M, 2, [8], seed: 31);
        var prior = GaussianPrior.FanInScaled(ensemble.Network, 1.0);
        // An enormous noise variance makes the penalty dominate: the weights must end near their anchors.
        using var reg = prior.Anchor(new SeededRandom(32), noiseVariance: 1e4, dataCount: 42, M);
        double start = reg.MemberPenalties().Sum();
        new Trainer(ensemble, Options(M, reg, 1e-3) with { Epochs = 30, Optimizer = OptimizerSettings.Adam(0.05) }).Fit(data);
        // Adam moves each weight about lr per step, so 30 steps of 0.05 close most of an O(1) gap: measured 15-fold.
        Assert.True(reg.MemberPenalties().Sum() < start / 10, $"penalty {start} → {reg.MemberPenalties().Sum()}");
    }

    [Fact]
    public void ReplicasBelowOneAreRejected()
    {
        var ensemble = EnsembleTestModels.Ensemble(1, 2, [4], seed: 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(ensemble, new TrainerOptions { Solver = NodeDsl.Runtime.Solvers.Rk4, Replicas = 0 }));
        Assert.Contains("Replicas", e.Message);
    }
}
