using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>
/// Seeded construction and training never use torch's global generator behind each other's back: networks draw from
/// their own generators, the trainer draws nothing from torch, so concurrent runs equal sequential ones bit for bit.
/// </summary>
public class ThreadReproducibilityTests
{
    /// <summary>The spiral demo's neural ODE, dh/dt = MLP(h³), with its network built from a seed.</summary>
    sealed class SeededNode : nn.Module, IOdeSystem
    {
        readonly Mlp net;

        public SeededNode(long seed) : base("node")
        {
            net = SeededConstruction.CreateWithGenerator(seed, 0, () => new Mlp("net", 2, [16], 2, Activation.Tanh, ScalarType.Float64));
            register_module("net", net);
        }

        public Tensor Rates(Tensor t, Tensor y) => net.forward(y.pow(3));
    }

    static double[] Weights(nn.Module module) => module.parameters().SelectMany(p => p.detach().data<double>().ToArray()).ToArray();

    static double[] Train(long seed, EpochCallback? callback = null)
    {
        var model = new SeededNode(seed);
        var options = LinearTrainingTests.Options(epochs: 4, step: 10.0 / 39) with
        {
            Seed = seed,
            Sampler = new WindowSampler { BatchSize = 8, BatchesPerEpoch = 1, MinPoints = 5, MaxPoints = 5 },
            Optimizer = OptimizerSettings.Adam(0.01),
            Callbacks = callback is null ? [] : [callback],
        };
        new Trainer(model, options).Fit(LinearData.Dataset());
        return Weights(model);
    }

    // A custom block whose TorchSharp layers initialise from the global generator (what SeededConstruction.Create is
    // for); `midway` runs between its two layers.
    static double[] BuildCustomBlock(Action midway)
    {
        using var block = SeededConstruction.Create(5, 1, () =>
        {
            var first = nn.Linear(2, 8, dtype: ScalarType.Float64);
            midway();
            var second = nn.Linear(8, 2, dtype: ScalarType.Float64);
            return nn.Sequential(("first", first), ("second", second));
        });
        return Weights(block);
    }

    [Fact]
    public void TwoThreadsTrainWhileAThirdBuildsSeededModelsAndEverythingEqualsSequentialRuns()
    {
        var expectedA = Train(1);
        var expectedB = Train(2);
        var expectedBlock = BuildCustomBlock(() => { });
        var expectedNode = Weights(new SeededNode(9));

        int epochsEnded = 0;
        using var blockIsMidway = new ManualResetEventSlim();
        double[]? a = null, b = null, block = null;
        var nodes = new List<double[]>();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        void Guarded(Action body) { try { body(); } catch (Exception e) { failures.Enqueue(e); } }

        // A trains only once the block's construction holds the seeded global generator, and the construction then
        // waits for two of A's epoch boundaries: a trainer that reseeded the global generator per epoch changes its second layer.
        var trainerA = new Thread(() => Guarded(() =>
        {
            blockIsMidway.Wait();
            a = Train(1, _ => Interlocked.Increment(ref epochsEnded));
        }));
        var trainerB = new Thread(() => Guarded(() => b = Train(2)));
        var builder = new Thread(() => Guarded(() =>
        {
            block = BuildCustomBlock(() =>
            {
                blockIsMidway.Set();
                if (!SpinWait.SpinUntil(() => Volatile.Read(ref epochsEnded) >= 2, TimeSpan.FromSeconds(60)))
                    throw new TimeoutException("Trainer A did not finish two epochs.");
            });
            // Then seeded models, built while the trainers run.
            while (trainerA.IsAlive || trainerB.IsAlive) nodes.Add(Weights(new SeededNode(9)));
        }));
        foreach (var t in new[] { trainerA, trainerB, builder }) t.Start();
        foreach (var t in new[] { trainerA, trainerB, builder }) t.Join();

        Assert.Empty(failures);
        Assert.Equal(expectedA, a);   // exact equality of doubles
        Assert.Equal(expectedB, b);
        Assert.Equal(expectedBlock, block);
        Assert.All(nodes, n => Assert.Equal(expectedNode, n));
    }

    [Fact]
    public void TrainingLeavesTheGlobalGeneratorAlone()
    {
        random.manual_seed(42);
        using var expected = rand(5, ScalarType.Float64);
        random.manual_seed(42);
        Train(3);
        using var after = rand(5, ScalarType.Float64);
        Assert.Equal(expected.data<double>().ToArray(), after.data<double>().ToArray());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void PerceptronFromASeededGeneratorEqualsNnLinearUnderTheSameGlobalSeed(ScalarType dtype)
    {
        // Before per-model generators, Mlp built nn.Linear layers from the global generator seeded with the same seed:
        // the switch keeps every seeded model's initial weights bit for bit, and leaves the global stream untouched.
        random.manual_seed(123);
        using var before = rand(3, ScalarType.Float64);
        random.manual_seed(123);
        using var mlp = SeededConstruction.CreateWithGenerator(7, 2, () => new Mlp("net", 3, [5, 4], 2, Activation.Tanh, dtype));
        using var after = rand(3, ScalarType.Float64);
        Assert.Equal(before.data<double>().ToArray(), after.data<double>().ToArray());

        random.manual_seed(SeededConstruction.SubmoduleSeed(7, 2));
        using var l0 = nn.Linear(3, 5, dtype: dtype);
        using var l1 = nn.Linear(5, 4, dtype: dtype);
        using var l2 = nn.Linear(4, 2, dtype: dtype);
        var expected = new[] { l0, l1, l2 }.SelectMany(l => new[] { l.weight, l.bias! });
        Assert.Equal(expected.SelectMany(Values), mlp.parameters().SelectMany(Values));

        static double[] Values(Tensor p) => p.detach().to(ScalarType.Float64).data<double>().ToArray();
    }
}
