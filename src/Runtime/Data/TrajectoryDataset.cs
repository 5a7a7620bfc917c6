namespace NodeDsl.Runtime.Data;

/// <summary>A set of trajectories that observe the same named states and take the same named inputs.</summary>
public sealed partial class TrajectoryDataset
{
    /// <summary>Creates a dataset and checks that every trajectory matches the column names.</summary>
    /// <param name="stateNames">Names of the observed components, in column order.</param>
    /// <param name="inputNames">Names of the per-trajectory inputs (empty for none).</param>
    /// <param name="trajectories">The trajectories; ids must be unique.</param>
    public TrajectoryDataset(IReadOnlyList<string> stateNames, IReadOnlyList<string> inputNames, IReadOnlyList<Trajectory> trajectories)
    {
        ArgumentNullException.ThrowIfNull(stateNames);
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(trajectories);
        if (stateNames.Count == 0) throw new ArgumentException("A dataset needs at least one observed state.", nameof(stateNames));
        var duplicate = stateNames.Concat(inputNames).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Column name '{duplicate.Key}' is used twice.", nameof(stateNames));
        var ids = new HashSet<string>();
        foreach (var tr in trajectories)
        {
            if (!ids.Add(tr.Id)) throw new ArgumentException($"Trajectory id '{tr.Id}' is used twice.", nameof(trajectories));
            if (tr.ObservedSize != stateNames.Count)
                throw new ArgumentException($"Trajectory '{tr.Id}' has {tr.ObservedSize} observed components but the dataset names {stateNames.Count} ({string.Join(", ", stateNames)}).", nameof(trajectories));
            if (tr.Inputs.Length != inputNames.Count)
                throw new ArgumentException($"Trajectory '{tr.Id}' has {tr.Inputs.Length} inputs but the dataset names {inputNames.Count} ({string.Join(", ", inputNames)}).", nameof(trajectories));
        }
        StateNames = stateNames.ToArray();
        InputNames = inputNames.ToArray();
        Trajectories = trajectories.ToArray();
    }

    /// <summary>Names of the observed components.</summary>
    public IReadOnlyList<string> StateNames { get; }
    /// <summary>Names of the per-trajectory inputs.</summary>
    public IReadOnlyList<string> InputNames { get; }
    /// <summary>The trajectories.</summary>
    public IReadOnlyList<Trajectory> Trajectories { get; }
    /// <summary>Number of observed components.</summary>
    public int ObservedSize => StateNames.Count;
    /// <summary>Number of inputs per trajectory.</summary>
    public int InputSize => InputNames.Count;
    /// <summary>Number of trajectories.</summary>
    public int Count => Trajectories.Count;

    /// <summary>A dataset with the same columns and other trajectories.</summary>
    public TrajectoryDataset With(IEnumerable<Trajectory> trajectories) => new(StateNames, InputNames, trajectories.ToArray());

    /// <summary>
    /// A dataset of one regularly or irregularly sampled trajectory from tensors-as-arrays: <paramref name="values"/> is <c>[T, nObs]</c>.
    /// </summary>
    public static TrajectoryDataset Single(double[] times, double[,] values, IReadOnlyList<string>? stateNames = null, string id = "0")
    {
        ArgumentNullException.ThrowIfNull(values);
        var names = stateNames ?? Enumerable.Range(0, values.GetLength(1)).Select(i => $"y{i}").ToArray();
        return new TrajectoryDataset(names, [], [new Trajectory(id, times, values)]);
    }
}
