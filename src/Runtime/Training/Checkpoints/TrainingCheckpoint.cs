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

    /// <summary>
    /// Reads and verifies a checkpoint (header, length, checksum, payload structure). The file is untrusted input: every
    /// length is bounded by the file's size and checked against what it describes before anything is allocated.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, corrupt, of another format, or malformed (the message names the field).</exception>
    public static TrainingCheckpoint Load(string path) => CheckpointFile.Read(path, ReadPayload);

    /// <summary>Throws a <see cref="CheckpointException"/> unless the checkpoint fits this model and optimizer.</summary>
    public void CheckFits(nn.Module model, optim.Optimizer optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        NamedTensors.CheckMatches(Model, model, $"Checkpoint '{path}'");
        if (BestModel is not null) NamedTensors.CheckMatches(BestModel, model, $"Checkpoint '{path}' (best weights)");
        if (OptimizerType != optimizer.GetType().Name)
            throw new CheckpointException($"Checkpoint '{path}' holds {OptimizerType} state but the trainer uses {optimizer.GetType().Name}.");
    }

    /// <summary>
    /// Copies weights and optimizer state into <paramref name="model"/> and <paramref name="optimizer"/>. Everything is
    /// checked before anything changes: the weights must fit the model (as <see cref="CheckFits"/>), and optimizer state
    /// that TorchSharp cannot load is rolled back, so on a <see cref="CheckpointException"/> both are as they were.
    /// </summary>
    /// <exception cref="CheckpointException">The weights do not fit the model, or the optimizer state cannot be loaded.</exception>
    public void Restore(nn.Module model, optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        NamedTensors.CheckMatches(Model, model, "The checkpoint");
        if (BestModel is not null) NamedTensors.CheckMatches(BestModel, model, "The checkpoint (best weights)");
        if (optimizer is OptimizerHelper helper && OptimizerState.Length > 0) LoadOptimizer(helper);
        NamedTensors.Restore(Model, model);
    }

    // TorchSharp's load_state_dict reads its own format and may fail halfway (or on an allocation a corrupt length asks
    // for): keep the optimizer's current state and put it back on any failure.
    void LoadOptimizer(OptimizerHelper helper)
    {
        var current = CaptureOptimizer(helper);
        try { LoadOptimizerState(helper, OptimizerState); }
        catch (Exception e)
        {
            string rollback;
            try
            {
                LoadOptimizerState(helper, current);
                rollback = "The optimizer's state was left as it was.";
            }
            catch (Exception again)
            {
                rollback = $"Restoring the optimizer's previous state failed too ({again.Message}); create a new optimizer.";
            }
            throw new CheckpointException(
                $"The checkpoint's {OptimizerType} state cannot be loaded ({e.GetType().Name}: {e.Message}); it was saved with other optimizer settings " +
                $"or by an incompatible build. {rollback} Resume without the checkpoint, or delete it to start afresh.", e);
        }
    }

    static void LoadOptimizerState(OptimizerHelper helper, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state, writable: false));
        helper.load_state_dict(reader);
        if (reader.BaseStream.Position != state.Length)
            throw new InvalidDataException($"{state.Length - reader.BaseStream.Position} bytes of the optimizer state were not read");
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

    // Epoch, loss, validation flag and value, regulariser, learning rate, NFE, backward flag and value, seconds.
    const int MetricsBytes = 4 + 8 + 1 + 8 + 8 + 8 + 8 + 1 + 8 + 8;
    const int MaxOptimizerNameBytes = 256;

    static TrainingCheckpoint ReadPayload(VerifiedReader r)
    {
        int epochs = r.ReadInt32("the epoch count");
        if (epochs < 0) throw new InvalidDataException($"the epoch count is {epochs}");
        long seed = r.ReadInt64("the seed");
        var random = new ulong[4];
        for (int i = 0; i < random.Length; i++) random[i] = r.ReadUInt64("the generator state");
        if (random.All(w => w == 0)) throw new InvalidDataException("the generator state is all zero, which xoshiro256** never reaches");
        var es = new EarlyStoppingState(r.ReadDouble("the best loss"), r.ReadInt32("the best epoch"), r.ReadInt32("the epochs without improvement"));
        if (es.BestEpoch < -1 || es.EpochsWithoutImprovement < 0)
            throw new InvalidDataException($"the early-stopping state (best epoch {es.BestEpoch}, {es.EpochsWithoutImprovement} epochs without improvement) is impossible");
        int count = r.ReadInt32("the history length");
        if (count < 0 || count > r.Remaining / MetricsBytes)
            throw new InvalidDataException($"the history length {count} is impossible for the {r.Remaining} bytes that follow");
        var history = new EpochMetrics[count];
        for (int i = 0; i < count; i++) history[i] = ReadMetrics(r);
        var model = NamedTensors.Read(r, expected: null, keep: true)!;
        var best = r.ReadBoolean("the best-weights flag") ? NamedTensors.Read(r, expected: model.Select(t => t.Spec).ToArray(), keep: true) : null;
        string optimizerType = r.ReadString("the optimizer type", MaxOptimizerNameBytes);
        int length = r.ReadInt32("the optimizer state length");
        var state = r.ReadBytes(length, "the optimizer state");
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

    static EpochMetrics ReadMetrics(VerifiedReader r)
    {
        int epoch = r.ReadInt32("an epoch number");
        double loss = r.ReadDouble("a loss");
        bool hasVal = r.ReadBoolean("a validation flag");
        double val = r.ReadDouble("a validation loss");
        double reg = r.ReadDouble("a regulariser value");
        double lr = r.ReadDouble("a learning rate");
        long nfe = r.ReadInt64("an evaluation count");
        bool hasBack = r.ReadBoolean("a backward flag");
        long back = r.ReadInt64("a backward evaluation count");
        double seconds = r.ReadDouble("a duration");
        return new EpochMetrics(epoch, loss, hasVal ? val : null, reg, lr, nfe, hasBack ? back : null, seconds);
    }
}
