using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>
/// Checkpoints are untrusted input like weight files: a malformed one is a <see cref="CheckpointException"/> naming the
/// problem, costs no more memory than its size justifies, and leaves model and optimizer as they were.
/// </summary>
public sealed class UntrustedCheckpointTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-ckpt-untrusted-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // Rejecting a file costs a few KB (file buffer, hash, exception); 1 MiB is far below reading a large file whole.
    const long SmallAllocation = 1 << 20;

    /// <summary>A 2×2 linear model and an Adam optimizer that has taken <paramref name="steps"/> steps (so it has moments).</summary>
    internal static (LinearRates Model, optim.Optimizer Optimizer) Trained(double scale, int steps = 1)
    {
        var model = new LinearRates(new double[,] { { 0.1 * scale, 0.2 * scale }, { 0.3 * scale, 0.4 * scale } });
        var optimizer = torch.optim.Adam(model.parameters(), 0.01);
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.Matrix.square().sum().backward();
            optimizer.step();
        }
        return (model, optimizer);
    }

    internal static TrainingCheckpoint Checkpoint(LinearRates model, optim.Optimizer optimizer) => new()
    {
        EpochsCompleted = 1, Seed = 3, RandomState = [1, 2, 3, 4], EarlyStopping = EarlyStoppingState.Initial,
        History = [new EpochMetrics(0, 0.5, null, 0, 0.01, 10, null, 0.1)], Model = NamedTensors.Capture(model),
        OptimizerType = optimizer.GetType().Name, OptimizerState = TrainingCheckpoint.CaptureOptimizer(optimizer),
    };

    [Fact]
    public void ShortOrRepeatedTensorsAndImpossibleStatesUnderAValidChecksumAreCheckpointExceptions()
    {
        var (model, optimizer) = Trained(1);
        var good = Checkpoint(model, optimizer);
        var a = good.Model[0];
        var cases = new (string Name, TrainingCheckpoint Checkpoint, string Expected)[]
        {
            ("short", good with { Model = [a with { Data = a.Data[..24] }] }, "tensor 'A' holds 24 bytes, but its shape [2, 2] and dtype Float64 need 32"),
            ("repeated", good with { Model = [a, a] }, "tensor 'A' appears twice"),
            ("zero generator", good with { RandomState = [0, 0, 0, 0] }, "the generator state is all zero"),
            ("best of another shape", good with { BestModel = [a with { Shape = [4, 1] }] }, "tensor 0 is 'A' (Float64, [4, 1]), but the parameter list has 'A' (Float64, [2, 2]) there"),
        };
        foreach (var (name, checkpoint, expected) in cases)
        {
            var path = Path.Combine(folder, name + ".ckpt");
            checkpoint.Save(path);
            var e = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(path));
            Assert.Contains("valid checksum but an unreadable payload", e.Message);
            Assert.Contains(expected, e.Message);
        }
    }

    [Fact]
    public void AHistoryLengthAtItsExtremeIsRejectedWithoutAllocatingIt()
    {
        var (model, optimizer) = Trained(1);
        var path = Path.Combine(folder, "history.ckpt");
        Checkpoint(model, optimizer).Save(path);
        var bytes = File.ReadAllBytes(path);
        var field = StoredLayout.CheckpointFields(bytes).Single(f => f.Name == "history length");
        File.WriteAllBytes(path, StoredLayout.SealCheckpoint(StoredLayout.WithValue(bytes, field, int.MaxValue)));
        CheckpointException? e = null;
        long allocated = Allocation.Of(() => e = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(path)));
        Assert.Contains("the history length 2147483647 is impossible", e!.Message);
        Assert.True(allocated < SmallAllocation, $"{allocated} bytes allocated");
    }

    [Fact]
    public void OptimizerStateThatCannotBeLoadedLeavesModelAndOptimizerAsTheyWere()
    {
        var (saved, savedOptimizer) = Trained(1);
        var state = TrainingCheckpoint.CaptureOptimizer(savedOptimizer);
        // Cut short: TorchSharp loads the first parts, then fails; a partial load must be rolled back.
        var checkpoint = Checkpoint(saved, savedOptimizer) with { OptimizerState = state[..^9] };
        var path = Path.Combine(folder, "optimizer.ckpt");
        checkpoint.Save(path);

        var (model, optimizer) = Trained(-2, steps: 3);
        var weights = model.Values();
        var moments = TrainingCheckpoint.CaptureOptimizer(optimizer);
        var loaded = TrainingCheckpoint.Load(path);
        loaded.CheckFits(model, optimizer, path);
        var e = Assert.Throws<CheckpointException>(() => loaded.Restore(model, optimizer));
        Assert.Contains("The checkpoint's Adam state cannot be loaded", e.Message);
        Assert.Contains("The optimizer's state was left as it was", e.Message);
        Assert.Equal(weights, model.Values());
        Assert.Equal(moments, TrainingCheckpoint.CaptureOptimizer(optimizer));

        // The intact state restores both, exactly.
        (checkpoint with { OptimizerState = state }).Restore(model, optimizer);
        Assert.Equal(saved.Values(), model.Values());
        Assert.Equal(state, TrainingCheckpoint.CaptureOptimizer(optimizer));
    }

    [Fact]
    public void OnlyTheHeaderOfAFileOfZerosIsRead()
    {
        // 256 MB of zeros (sparse: no disk space used); it used to be read whole.
        var path = Path.Combine(folder, "zeros.ckpt");
        using (var file = File.Create(path)) file.SetLength(256L << 20);
        CheckpointException? e = null;
        long allocated = Allocation.Of(() => e = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(path)));
        Assert.Contains("is not a NodeDsl checkpoint", e!.Message);
        Assert.True(allocated < SmallAllocation, $"{allocated} bytes allocated");
    }
}
