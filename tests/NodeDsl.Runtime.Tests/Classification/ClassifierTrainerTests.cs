using NodeDsl.Runtime.Classification;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Classification;

/// <summary>The classification trainer on two separable Gaussian blobs, with an ODE block inside the network.</summary>
public sealed class ClassifierTrainerTests
{
    /// <summary>An ODE block followed by a linear read-out: [batch, 2] → [batch, 2] scores.</summary>
    sealed class BlockThenLinear : nn.Module<Tensor, Tensor>
    {
        readonly OdeBlock block;
        readonly TorchSharp.Modules.Linear readout;

        public BlockThenLinear(long seed) : base(nameof(BlockThenLinear))
        {
            block = new OdeBlock("ode", new TanhField(2, seed));
            readout = SeededConstruction.Create(seed, 1, () => nn.Linear(2, 2, dtype: ScalarType.Float64));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => readout.forward(block.forward(x));
    }

    /// <summary>Blobs around (±1.5, ±1.5) with unit-ish spread: the classes overlap with probability ~2e-3 per point.</summary>
    static ClassificationData Blobs(int count, long seed)
    {
        var rng = new SeededRandom(seed);
        var labels = Enumerable.Range(0, count).Select(i => (long)(i % 2)).ToArray();
        var points = labels.SelectMany(l => new[] { (l == 0 ? -1.5 : 1.5) + 0.5 * rng.NextGaussian(), (l == 0 ? -1.5 : 1.5) + 0.5 * rng.NextGaussian() }).ToArray();
        return new ClassificationData(tensor(points, [count, 2], ScalarType.Float64), labels, ["low", "high"]);
    }

    static (IReadOnlyList<ClassifierEpoch> History, ClassifierTrainer Trainer) Fit(BlockThenLinear network, ClassificationData train, ClassificationData test, int epochs = 6)
    {
        var trainer = new ClassifierTrainer(network, new ClassifierTrainingOptions
        {
            Epochs = epochs,
            BatchSize = 16,
            Optimizer = OptimizerSettings.Adam(5e-2),
            Seed = 11,
        });
        return (trainer.Fit(train, test), trainer);
    }

    [Fact]
    public void LearnsSeparableBlobsAndCountsTheBlocksEvaluations()
    {
        using var train = Blobs(64, 1);
        using var test = Blobs(40, 2);
        using var network = new BlockThenLinear(3);
        var (history, _) = Fit(network, train, test);
        Assert.Equal(6, history.Count);
        // Blobs 3σ·√2 apart: a trained classifier gets (almost) all of 40 test points; 38 allows two tail points.
        Assert.True(history[^1].Test!.Accuracy >= 0.95, $"test accuracy {history[^1].Test!.Accuracy}");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss, $"loss {history[0].TrainLoss} → {history[^1].TrainLoss}");
        // 64 examples in batches of 16 = 4 batches per epoch; each solves once forward and once backward (backsolve).
        Assert.All(history, e => Assert.True(e.ForwardNfePerBatch >= 6 && e.BackwardNfePerBatch >= 6,
            $"epoch {e.Epoch}: NFE {e.ForwardNfePerBatch} + {e.BackwardNfePerBatch} (Dopri5 takes ≥ 1 step of 6 new evaluations)"));
        Assert.True(history[^1].Test!.ForwardNfePerBatch >= 6);
        Assert.Equal(40, history[^1].Test!.Confusion.Total);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRun()
    {
        using var train = Blobs(24, 1);
        using var test = Blobs(4, 2);
        using var a = new BlockThenLinear(3);
        using var b = new BlockThenLinear(3);
        var first = Fit(a, train, test, epochs: 2).History;
        var second = Fit(b, train, test, epochs: 2).History;
        Assert.Equal(first.Select(e => e.TrainLoss), second.Select(e => e.TrainLoss));
    }

    [Fact]
    public void ANetworkThatDoesNotReturnOneScorePerClassIsNamed()
    {
        using var train = Blobs(8, 1);
        using var network = nn.Sequential(nn.Linear(2, 3, dtype: ScalarType.Float64));
        var trainer = new ClassifierTrainer(network, new ClassifierTrainingOptions { Epochs = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(train));
        Assert.Contains("[batch, classes] = [8, 2]", e.Message);
        Assert.Contains("Linear layer to 2 outputs", e.Message);
        var lbfgs = new ClassifierTrainer(network, new ClassifierTrainingOptions { Optimizer = OptimizerSettings.Lbfgs() });
        Assert.Contains("Adam", Assert.Throws<ArgumentException>(() => lbfgs.Fit(train)).Message);
        var weights = new ClassifierTrainer(network, new ClassifierTrainingOptions { ClassWeights = [1.0] });
        Assert.Contains("2 positive finite weights", Assert.Throws<ArgumentException>(() => weights.Fit(train)).Message);
    }
}
