using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>What a run carries from epoch to epoch, and what a checkpoint restores.</summary>
internal sealed class RunState
{
    public int Epoch { get; private init; }
    public required SeededRandom Random { get; init; }
    public List<EpochMetrics> History { get; private init; } = [];
    public EarlyStoppingState EarlyStopping { get; set; } = EarlyStoppingState.Initial;
    public IReadOnlyList<TensorRecord>? BestModel { get; set; }
    public long Seed { get; private init; }

    public static RunState Fresh(long seed) => new() { Random = new SeededRandom(seed), Seed = seed };

    public static RunState From(string path, nn.Module module, optim.Optimizer optimizer)
    {
        var checkpoint = TrainingCheckpoint.Load(path);
        checkpoint.CheckFits(module, optimizer, path);
        checkpoint.Restore(module, optimizer);
        var random = new SeededRandom(checkpoint.Seed);
        random.SetState(checkpoint.RandomState);
        return new RunState
        {
            Epoch = checkpoint.EpochsCompleted, Random = random, History = [.. checkpoint.History],
            EarlyStopping = checkpoint.EarlyStopping, BestModel = checkpoint.BestModel, Seed = checkpoint.Seed,
        };
    }

    public TrainingCheckpoint Checkpoint(int epochsCompleted, nn.Module module, optim.Optimizer optimizer) => new()
    {
        EpochsCompleted = epochsCompleted, Seed = Seed, RandomState = Random.GetState(), EarlyStopping = EarlyStopping,
        History = History.ToArray(), Model = NamedTensors.Capture(module), BestModel = BestModel,
        OptimizerType = optimizer.GetType().Name, OptimizerState = TrainingCheckpoint.CaptureOptimizer(optimizer),
    };
}
