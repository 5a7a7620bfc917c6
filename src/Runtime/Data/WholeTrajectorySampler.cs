namespace NodeDsl.Runtime.Data;

/// <summary>Batches of whole trajectories; every trajectory is used once per epoch.</summary>
public sealed record WholeTrajectorySampler : IBatchSampler
{
    /// <summary>Trajectories per batch; null puts all of them in one batch.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Shuffle the trajectories each epoch (seeded); false keeps dataset order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<BatchWindow>> SampleEpoch(TrajectoryDataset data, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        if (BatchSize is < 1) throw new ArgumentException("BatchSize must be positive.");
        if (data.Count == 0) throw new ArgumentException("The dataset has no trajectories.");
        var order = Enumerable.Range(0, data.Count).ToArray();
        if (Shuffle) random.Shuffle(order);
        int size = BatchSize ?? data.Count;
        return order.Chunk(size).Select(chunk => BatchBuilder.Whole(data, chunk)).ToArray();
    }
}
