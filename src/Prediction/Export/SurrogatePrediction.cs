namespace NodeDsl.Runtime.Export;

/// <summary>
/// The observed states a surrogate predicted: one series per state component (names from the model's
/// <c>ComponentNames</c>) and trajectory, at the requested times.
/// </summary>
public sealed class SurrogatePrediction
{
    readonly double[] values;   // [time, trajectory, component]

    internal SurrogatePrediction(double[] times, IReadOnlyList<string> stateNames, int trajectories, double[] values,
                                 IReadOnlyList<RangeViolation> rangeViolations)
    {
        Times = times;
        StateNames = stateNames;
        Trajectories = trajectories;
        this.values = values;
        RangeViolations = rangeViolations;
    }

    /// <summary>The output times.</summary>
    public IReadOnlyList<double> Times { get; }

    /// <summary>Names of the observed state components, in the order of <see cref="Values"/>' columns.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>Number of predicted trajectories.</summary>
    public int Trajectories { get; }

    /// <summary>Values outside the trained range found before solving (empty when all were inside or under <see cref="RangePolicy.Ignore"/>).</summary>
    public IReadOnlyList<RangeViolation> RangeViolations { get; }

    /// <summary>The series of state component <paramref name="state"/> of trajectory 0.</summary>
    public double[] this[string state] => State(state);

    /// <summary>The series of state component <paramref name="state"/> of trajectory <paramref name="trajectory"/>, one value per time.</summary>
    public double[] State(string state, int trajectory = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        int j = IndexOf(state);
        CheckTrajectory(trajectory);
        var series = new double[Times.Count];
        for (int i = 0; i < series.Length; i++) series[i] = values[(i * Trajectories + trajectory) * StateNames.Count + j];
        return series;
    }

    /// <summary>All observed components of trajectory <paramref name="trajectory"/>: <c>[time, component]</c>.</summary>
    public double[,] Values(int trajectory = 0)
    {
        CheckTrajectory(trajectory);
        int n = StateNames.Count;
        var result = new double[Times.Count, n];
        for (int i = 0; i < Times.Count; i++)
            for (int j = 0; j < n; j++) result[i, j] = values[(i * Trajectories + trajectory) * n + j];
        return result;
    }

    int IndexOf(string state)
    {
        for (int j = 0; j < StateNames.Count; j++)
            if (StateNames[j] == state) return j;
        throw new ArgumentException($"No predicted state named '{state}'. States: {string.Join(", ", StateNames)}.", nameof(state));
    }

    void CheckTrajectory(int trajectory)
    {
        if (trajectory < 0 || trajectory >= Trajectories)
            throw new ArgumentOutOfRangeException(nameof(trajectory), trajectory, $"The prediction holds trajectories 0 to {Trajectories - 1}.");
    }
}
