using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Tests.Training;

public class OptimizerAndScheduleTests
{
    [Fact]
    public void SchedulesArePureFunctionsOfTheEpoch()
    {
        Assert.Equal([1, 1, 0.5, 0.5, 0.25], Enumerable.Range(0, 5).Select(e => LearningRateSchedule.Step(2, 0.5).Rate(1, e)));
        Assert.Equal(0.1 * Math.Pow(0.9, 3), LearningRateSchedule.Exponential(0.9).Rate(0.1, 3), 15);
        var cosine = LearningRateSchedule.Cosine(10, minRate: 0.01);
        Assert.Equal(1.0, cosine.Rate(1, 0), 15);
        Assert.Equal(0.505, cosine.Rate(1, 5), 12);
        Assert.Equal(0.01, cosine.Rate(1, 10), 15);
        Assert.Equal([0.25, 0.5, 0.75, 1, 1], Enumerable.Range(0, 5).Select(e => LearningRateSchedule.Warmup(4).Rate(1, e)));
    }

    [Fact]
    public void TrainerAppliesTheScheduleAndClipping()
    {
        var options = LinearTrainingTests.Options(epochs: 3, step: 10.0 / 39) with
        {
            Schedule = LearningRateSchedule.Exponential(0.5),
            GradientClipNorm = 0.1,
        };
        var result = new Trainer(new LinearRates(new double[2, 2]), options).Fit(LinearData.Dataset());
        Assert.Equal([0.05, 0.025, 0.0125], result.History.Select(m => m.LearningRate));
    }

    [Theory]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.RmsProp)]
    [InlineData(OptimizerKind.Lbfgs)]
    public void OtherOptimizersReduceTheLoss(OptimizerKind kind)
    {
        var data = LinearData.Dataset();
        // L-BFGS polishes a fit (as after Adam in the UDE recipe): start it near the truth; the others start at A = 0.
        var model = new LinearRates(kind == OptimizerKind.Lbfgs ? new double[,] { { 0, -0.9 }, { 0.9, 0 } } : new double[2, 2]);
        var options = LinearTrainingTests.Options(epochs: 5, step: 10.0 / 39) with
        {
            Optimizer = kind switch
            {
                OptimizerKind.AdamW => OptimizerSettings.AdamW(0.05, weightDecay: 1e-4),
                OptimizerKind.Sgd => OptimizerSettings.Sgd(0.5, momentum: 0.9),
                OptimizerKind.RmsProp => OptimizerSettings.RmsProp(0.05),
                _ => OptimizerSettings.Lbfgs(1.0, maxIterations: 20),
            },
            // L-BFGS wants a deterministic objective: whole trajectories rather than random windows.
            Sampler = kind == OptimizerKind.Lbfgs ? new WholeTrajectorySampler() : LinearTrainingTests.Options(1, 1).Sampler,
        };
        var trainer = new Trainer(model, options);
        double before = trainer.Evaluate(data);
        trainer.Fit(data);
        double after = trainer.Evaluate(data);
        // Five epochs test each optimizer's wiring, not its speed. Measured factors: AdamW 7, SGD 5.4 (25 steps from
        // A = 0), L-BFGS 1e10 (5 closure steps from near the truth). The stated factors leave ample margin.
        double factor = kind == OptimizerKind.Lbfgs ? 1e6 : 3;
        Assert.True(after < before / factor, $"{kind}: loss {before} → {after}");
    }

    [Fact]
    public void AdjointGradientMethodIsPassedThroughAndCountsBackwardEvaluations()
    {
        var data = LinearData.Dataset();
        var model = new LinearRates(new double[2, 2]);
        var options = LinearTrainingTests.Options(epochs: 2, step: 10.0 / 39) with
        {
            Solver = NodeDsl.Runtime.Solvers.Dopri5,
            SolverOptions = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8 },
            Gradient = GradientMethod.Backsolve(),
        };
        var trainer = new Trainer(model, options);
        double before = trainer.Evaluate(data);
        var result = trainer.Fit(data);
        Assert.All(result.History, m => Assert.True(m.BackwardEvaluations > 0, "backward NFE missing"));
        Assert.True(trainer.Evaluate(data) < before);
    }
}
