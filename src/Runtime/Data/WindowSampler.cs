namespace NodeDsl.Runtime.Data;

/// <summary>
/// Random time windows, the scheme of the classic neural-ODE system-identification demos (torchdiffeq's
/// <c>ode_demo.py</c>): each batch holds <see cref="BatchSize"/> windows, each a random start point (its observation
/// is the initial state) and the following observations.
/// </summary>
/// <remarks>
/// <para>A start is drawn uniformly over all (trajectory, point) pairs that leave room for <see cref="MinPoints"/>
/// points (and <see cref="MinDuration"/> time units). The window then reaches a random length: with durations set, a
/// duration uniform in [<see cref="MinDuration"/>, <see cref="MaxDuration"/>], capped at <see cref="MaxPoints"/>
/// points; without, a point count uniform in [<see cref="MinPoints"/>, <see cref="MaxPoints"/>]. Windows never run past
/// the end of their trajectory. <c>MinPoints = MaxPoints = 10</c>, batch 20, is the demo's setting.</para>
/// </remarks>
public sealed record WindowSampler : IBatchSampler
{
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 20;
    /// <summary>Batches (optimizer steps) per epoch.</summary>
    public int BatchesPerEpoch { get; init; } = 1;
    /// <summary>Fewest points in a window, at least 2 (the initial point counts).</summary>
    public int MinPoints { get; init; } = 2;
    /// <summary>Most points in a window (k).</summary>
    public int MaxPoints { get; init; } = 10;
    /// <summary>Shortest window duration in time units; null to draw point counts instead of durations.</summary>
    public double? MinDuration { get; init; }
    /// <summary>Longest window duration in time units; set together with <see cref="MinDuration"/>.</summary>
    public double? MaxDuration { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<BatchWindow>> SampleEpoch(TrajectoryDataset data, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        Validate();
        var starts = ValidStarts(data);
        var epoch = new IReadOnlyList<BatchWindow>[BatchesPerEpoch];
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            var windows = new BatchWindow[BatchSize];
            for (int i = 0; i < BatchSize; i++) windows[i] = Draw(data, starts, random);
            epoch[b] = windows;
        }
        return epoch;
    }

    BatchWindow Draw(TrajectoryDataset data, IReadOnlyList<(int Trajectory, int Start)> starts, SeededRandom random)
    {
        var (ti, s) = starts[random.NextInt(starts.Count)];
        var times = data.Trajectories[ti].Times;
        int room = times.Length - s;
        int count;
        if (MinDuration is { } dMin && MaxDuration is { } dMax)
        {
            double end = times[s] + random.NextDouble(dMin, dMax);
            count = 1;
            while (count < room && count < MaxPoints && times[s + count] <= end) count++;
            count = Math.Max(count, MinPoints);   // sparse data: a short duration may hold too few points
        }
        else
        {
            count = Math.Min(random.NextInt(MinPoints, MaxPoints), room);
        }
        return new BatchWindow(ti, s, count);
    }

    List<(int Trajectory, int Start)> ValidStarts(TrajectoryDataset data)
    {
        var starts = new List<(int, int)>();
        for (int ti = 0; ti < data.Count; ti++)
        {
            var times = data.Trajectories[ti].Times;
            for (int s = 0; s + MinPoints <= times.Length; s++)
                if (MinDuration is not { } d || times[^1] - times[s] >= d) starts.Add((ti, s));
        }
        if (starts.Count == 0)
            throw new ArgumentException(
                $"No trajectory leaves room for a window of {MinPoints} points{(MinDuration is { } m ? $" and {m} time units" : "")}; " +
                "lower MinPoints/MinDuration or use longer trajectories.");
        return starts;
    }

    void Validate()
    {
        if (BatchSize < 1 || BatchesPerEpoch < 1) throw new ArgumentException("BatchSize and BatchesPerEpoch must be positive.");
        if (MinPoints < 2 || MaxPoints < MinPoints)
            throw new ArgumentException($"Need 2 ≤ MinPoints ≤ MaxPoints, got MinPoints = {MinPoints}, MaxPoints = {MaxPoints}.");
        if ((MinDuration is null) != (MaxDuration is null))
            throw new ArgumentException("Set both MinDuration and MaxDuration, or neither.");
        if (MinDuration is { } lo && MaxDuration is { } hi && !(lo > 0 && hi >= lo))
            throw new ArgumentException($"Need 0 < MinDuration ≤ MaxDuration, got {lo} and {hi}.");
    }
}
