using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// Everything needed to continue a run exactly: model weights (all parameters and buffers), optimizer state,
/// the data generator's seed and state, the epoch, early-stopping progress and the metrics history.
/// Stored in a <see cref="CheckpointFile"/> (atomic, versioned, SHA-256 checked).
/// </summary>
/// <remarks>
/// Optimizer state is TorchSharp's own serialisation (<see cref="OptimizerHelper.save_state_dict(BinaryWriter)"/>:
/// Adam/AdamW moments and step counts, SGD momentum buffers). TorchSharp's L-BFGS is native and exposes no state,
/// so after resuming an L-BFGS run its curvature history starts afresh (the weights are still exact).
/// </remarks>
public sealed record TrainingCheckpoint
{
    /// <summary>Epochs completed; the resumed run starts with this 0-based epoch.</summary>
    public required int EpochsCompleted { get; init; }
    /// <summary>The run's seed (of the window and probe generator).</summary>
    public required long Seed { get; init; }
    /// <summary>State of the window/probe generator after the last completed epoch.</summary>
    public required ulong[] RandomState { get; init; }
    /// <summary>Early-stopping progress.</summary>
    public required EarlyStoppingState EarlyStopping { get; init; }
    /// <summary>Metrics of every completed epoch.</summary>
    public required IReadOnlyList<EpochMetrics> History { get; init; }
    /// <summary>The model's parameters and buffers.</summary>
    public required IReadOnlyList<TensorRecord> Model { get; init; }
    /// <summary>Weights of the best validation epoch (early stopping with restore), or null.</summary>
    public IReadOnlyList<TensorRecord>? BestModel { get; init; }
    /// <summary>Optimizer type name (e.g. <c>Adam</c>).</summary>
    public required string OptimizerType { get; init; }
    /// <summary>TorchSharp's serialised optimizer state; empty when the optimizer exposes none.</summary>
    public required byte[] OptimizerState { get; init; }

    /// <summary>Captures the optimizer's state (empty for optimizers without managed state, i.e. L-BFGS).</summary>
    public static byte[] CaptureOptimizer(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer is not OptimizerHelper helper) return [];
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) helper.save_state_dict(writer);
        return memory.ToArray();
    }

    /// <summary>Writes this checkpoint atomically to <paramref name="path"/>.</summary>
    public void Save(string path) => CheckpointFile.Write(path, WritePayload);

    /// <summary>Reads and verifies a checkpoint (header, length, checksum, payload structure).</summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, corrupt or of another format.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        var payload = CheckpointFile.ReadPayload(path);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload), System.Text.Encoding.UTF8);
            var checkpoint = ReadPayload(reader);
            if (reader.BaseStream.Position != payload.Length)
                throw new InvalidDataException($"{payload.Length - reader.BaseStream.Position} unread bytes after the payload.");
            return checkpoint;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException)
        {
            throw new CheckpointException($"Checkpoint '{path}' has a valid checksum but an unreadable payload ({e.Message}); it was written by an incompatible build.", e);
        }
    }

    /// <summary>Throws a <see cref="CheckpointException"/> unless the checkpoint fits this model and optimizer.</summary>
    public void CheckFits(nn.Module model, optim.Optimizer optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        NamedTensors.CheckMatches(Model, model, $"Checkpoint '{path}'");
        if (BestModel is not null) NamedTensors.CheckMatches(BestModel, model, $"Checkpoint '{path}' (best weights)");
        if (OptimizerType != optimizer.GetType().Name)
            throw new CheckpointException($"Checkpoint '{path}' holds {OptimizerType} state but the trainer uses {optimizer.GetType().Name}.");
    }

    /// <summary>Copies weights and optimizer state into <paramref name="model"/> and <paramref name="optimizer"/> (after <see cref="CheckFits"/>).</summary>
    public void Restore(nn.Module model, optim.Optimizer optimizer)
    {
        NamedTensors.Restore(Model, model);
        if (optimizer is OptimizerHelper helper && OptimizerState.Length > 0)
        {
            using var reader = new BinaryReader(new MemoryStream(OptimizerState));
            helper.load_state_dict(reader);
        }
    }

    void WritePayload(BinaryWriter w)
    {
        w.Write(EpochsCompleted);
        w.Write(Seed);
        foreach (var word in RandomState) w.Write(word);
        w.Write(EarlyStopping.BestLoss);
        w.Write(EarlyStopping.BestEpoch);
        w.Write(EarlyStopping.EpochsWithoutImprovement);
        w.Write(History.Count);
        foreach (var m in History) WriteMetrics(w, m);
        NamedTensors.Write(w, Model);
        w.Write(BestModel is not null);
        if (BestModel is not null) NamedTensors.Write(w, BestModel);
        w.Write(OptimizerType);
        w.Write(OptimizerState.Length);
        w.Write(OptimizerState);
    }

    static TrainingCheckpoint ReadPayload(BinaryReader r)
    {
        int epochs = r.ReadInt32();
        long seed = r.ReadInt64();
        var random = new[] { r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64() };
        var es = new EarlyStoppingState(r.ReadDouble(), r.ReadInt32(), r.ReadInt32());
        int count = r.ReadInt32();
        if (count < 0) throw new InvalidDataException("Negative history length.");
        var history = new EpochMetrics[count];
        for (int i = 0; i < count; i++) history[i] = ReadMetrics(r);
        var model = NamedTensors.Read(r);
        var best = r.ReadBoolean() ? NamedTensors.Read(r) : null;
        string optimizerType = r.ReadString();
        int length = r.ReadInt32();
        var state = r.ReadBytes(length);
        if (state.Length != length) throw new EndOfStreamException("Optimizer state is cut short.");
        return new TrainingCheckpoint
        {
            EpochsCompleted = epochs, Seed = seed, RandomState = random, EarlyStopping = es, History = history,
            Model = model, BestModel = best, OptimizerType = optimizerType, OptimizerState = state,
        };
    }

    static void WriteMetrics(BinaryWriter w, EpochMetrics m)
    {
        w.Write(m.Epoch);
        w.Write(m.Loss);
        w.Write(m.ValidationLoss.HasValue);
        w.Write(m.ValidationLoss ?? 0);
        w.Write(m.Regularization);
        w.Write(m.LearningRate);
        w.Write(m.ForwardEvaluations);
        w.Write(m.BackwardEvaluations.HasValue);
        w.Write(m.BackwardEvaluations ?? 0);
        w.Write(m.Seconds);
    }

    static EpochMetrics ReadMetrics(BinaryReader r)
    {
        int epoch = r.ReadInt32();
        double loss = r.ReadDouble();
        bool hasVal = r.ReadBoolean();
        double val = r.ReadDouble();
        double reg = r.ReadDouble();
        double lr = r.ReadDouble();
        long nfe = r.ReadInt64();
        bool hasBack = r.ReadBoolean();
        long back = r.ReadInt64();
        double seconds = r.ReadDouble();
        return new EpochMetrics(epoch, loss, hasVal ? val : null, reg, lr, nfe, hasBack ? back : null, seconds);
    }
}
