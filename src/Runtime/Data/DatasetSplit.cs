namespace NodeDsl.Runtime.Data;

/// <summary>Training, validation and test parts of a dataset.</summary>
/// <param name="Train">Fitted on.</param>
/// <param name="Validation">Used for early stopping and model choice; may be empty.</param>
/// <param name="Test">Held out until the end; may be empty.</param>
public sealed record DatasetSplit(TrajectoryDataset Train, TrajectoryDataset Validation, TrajectoryDataset Test);

/// <summary>Splits a dataset by trajectory (interpolation to new initial conditions) or by time (extrapolation).</summary>
public static class DatasetSplits
{
    /// <summary>
    /// Assigns whole trajectories at random (seeded) to validation and test; the rest train.
    /// Counts are rounded to the nearest integer and the training part keeps at least one trajectory.
    /// </summary>
    public static DatasetSplit ByTrajectory(this TrajectoryDataset data, double validationFraction, double testFraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFractions(validationFraction, testFraction);
        int n = data.Count;
        int nVal = (int)Math.Round(n * validationFraction, MidpointRounding.AwayFromZero);
        int nTest = (int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero);
        if (nVal + nTest >= n)
            throw new ArgumentException(
                $"Splitting {n} trajectories with fractions {validationFraction} / {testFraction} leaves none for training; lower the fractions or add trajectories.");
        var order = Enumerable.Range(0, n).ToArray();
        new SeededRandom(seed).Shuffle(order);
        // Keep dataset order inside each part so results do not depend on the shuffle beyond membership.
        var val = order.Take(nVal).Order().Select(i => data.Trajectories[i]);
        var test = order.Skip(nVal).Take(nTest).Order().Select(i => data.Trajectories[i]);
        var train = order.Skip(nVal + nTest).Order().Select(i => data.Trajectories[i]);
        return new DatasetSplit(data.With(train), data.With(val), data.With(test));
    }

    /// <summary>
    /// Splits every trajectory in time for extrapolation: the first <paramref name="trainFraction"/> of its points train,
    /// the next <paramref name="validationFraction"/> validate, the rest test.
    /// </summary>
    /// <remarks>
    /// Validation and test trajectories keep the earlier points unscored (mask false) so that a solve starts from the
    /// true initial state and the loss measures extrapolation only. Point counts are floored; training keeps at least
    /// two points per trajectory. A part with no scored point in a trajectory leaves that trajectory out of the part.
    /// </remarks>
    public static DatasetSplit ByTime(this TrajectoryDataset data, double trainFraction, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(trainFraction > 0 && trainFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(trainFraction), "Must be in (0, 1].");
        CheckFractions(validationFraction, 1 - trainFraction - validationFraction);
        var train = new List<Trajectory>();
        var val = new List<Trajectory>();
        var test = new List<Trajectory>();
        foreach (var tr in data.Trajectories)
        {
            int nTrain = (int)Math.Floor(tr.Length * trainFraction + 1e-9);
            int nVal = (int)Math.Floor(tr.Length * validationFraction + 1e-9);
            if (nTrain < 2)
                throw new ArgumentException($"Trajectory '{tr.Id}' has {tr.Length} points: a train fraction of {trainFraction} leaves fewer than 2 for training.");
            nVal = Math.Min(nVal, tr.Length - nTrain);
            train.Add(tr.Slice(0, nTrain));
            if (nVal > 0) val.Add(tr.Slice(0, nTrain + nVal).ScoredFrom(nTrain));
            if (nTrain + nVal < tr.Length) test.Add(tr.ScoredFrom(nTrain + nVal));
        }
        return new DatasetSplit(data.With(train), data.With(val), data.With(test));
    }

    static void CheckFractions(double validationFraction, double testFraction)
    {
        if (!(validationFraction >= 0 && validationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(validationFraction), "Must be in [0, 1).");
        if (!(testFraction >= -1e-12 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), "Fractions must be in [0, 1) and sum to less than 1.");
    }
}
