namespace NodeDsl.Runtime.Data;

/// <summary>
/// One observed trajectory: observation times, observed values with a mask of which entries are scored, and
/// per-trajectory inputs that are constant in time.
/// </summary>
/// <remarks>
/// Missing values are <see cref="double.NaN"/> and always unmasked. The mask only says what a loss scores: an
/// entry may be present but unmasked (e.g. the training part of a trajectory in a time split's test set), and the
/// first row still supplies the initial state of a solve.
/// </remarks>
public sealed class Trajectory
{
    /// <summary>Creates a trajectory and checks its shapes and times.</summary>
    /// <param name="id">Identifier (the CSV's <c>trajectory</c> column).</param>
    /// <param name="times">Observation times, strictly increasing, finite, at least one.</param>
    /// <param name="values">Observed values <c>[T, nObs]</c>; NaN marks a missing value.</param>
    /// <param name="mask">Which entries are scored, <c>[T, nObs]</c>; null scores every present value. NaN entries are never scored.</param>
    /// <param name="inputs">Per-trajectory inputs; null for none.</param>
    public Trajectory(string id, double[] times, double[,] values, bool[,]? mask = null, double[]? inputs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        if (times.Length == 0) throw new ArgumentException($"Trajectory '{id}' has no observation times.", nameof(times));
        if (values.GetLength(0) != times.Length)
            throw new ArgumentException($"Trajectory '{id}' has {times.Length} times but {values.GetLength(0)} rows of values.", nameof(values));
        for (int i = 0; i < times.Length; i++)
        {
            if (!double.IsFinite(times[i])) throw new ArgumentException($"Trajectory '{id}': time {i} is {times[i]}.", nameof(times));
            if (i > 0 && !(times[i] > times[i - 1]))
                throw new ArgumentException(
                    $"Trajectory '{id}': times must be strictly increasing, but t[{i - 1}] = {times[i - 1]:R} and t[{i}] = {times[i]:R}.", nameof(times));
        }
        if (mask is not null && (mask.GetLength(0) != values.GetLength(0) || mask.GetLength(1) != values.GetLength(1)))
            throw new ArgumentException($"Trajectory '{id}': mask is [{mask.GetLength(0)}, {mask.GetLength(1)}] but values are [{values.GetLength(0)}, {values.GetLength(1)}].", nameof(mask));
        if (inputs is not null && inputs.Any(v => !double.IsFinite(v)))
            throw new ArgumentException($"Trajectory '{id}': inputs must be finite.", nameof(inputs));

        Id = id;
        Times = (double[])times.Clone();
        Values = (double[,])values.Clone();
        Inputs = inputs is null ? [] : (double[])inputs.Clone();
        Mask = new bool[Length, ObservedSize];
        for (int i = 0; i < Length; i++)
            for (int j = 0; j < ObservedSize; j++)
            {
                if (double.IsInfinity(Values[i, j])) throw new ArgumentException($"Trajectory '{id}': value [{i}, {j}] is infinite.", nameof(values));
                Mask[i, j] = !double.IsNaN(Values[i, j]) && (mask?[i, j] ?? true);
            }
    }

    /// <summary>Identifier.</summary>
    public string Id { get; }
    /// <summary>Observation times <c>[T]</c>. Do not modify.</summary>
    public double[] Times { get; }
    /// <summary>Observed values <c>[T, nObs]</c>, NaN where missing. Do not modify.</summary>
    public double[,] Values { get; }
    /// <summary>Scored entries <c>[T, nObs]</c>. Do not modify.</summary>
    public bool[,] Mask { get; }
    /// <summary>Per-trajectory inputs (empty when none). Do not modify.</summary>
    public double[] Inputs { get; }
    /// <summary>Number of observation times.</summary>
    public int Length => Times.Length;
    /// <summary>Number of observed components.</summary>
    public int ObservedSize => Values.GetLength(1);
    /// <summary>First observation time.</summary>
    public double StartTime => Times[0];
    /// <summary>Last observation time.</summary>
    public double EndTime => Times[^1];

    /// <summary>True when at least one value is missing (NaN).</summary>
    public bool HasMissingValues
    {
        get
        {
            foreach (var v in Values) if (double.IsNaN(v)) return true;
            return false;
        }
    }

    /// <summary>The points <c>[start, start + count)</c> as a new trajectory (same id, inputs and mask).</summary>
    public Trajectory Slice(int start, int count)
    {
        if (start < 0 || count < 1 || start + count > Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"Slice [{start}, {start + count}) is outside trajectory '{Id}' of length {Length}.");
        var times = Times.AsSpan(start, count).ToArray();
        var values = new double[count, ObservedSize];
        var mask = new bool[count, ObservedSize];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < ObservedSize; j++)
            {
                values[i, j] = Values[start + i, j];
                mask[i, j] = Mask[start + i, j];
            }
        return new Trajectory(Id, times, values, mask, Inputs);
    }

    /// <summary>A copy whose points before <paramref name="firstScored"/> are kept (they give the initial state) but not scored.</summary>
    public Trajectory ScoredFrom(int firstScored)
    {
        var mask = (bool[,])Mask.Clone();
        for (int i = 0; i < Math.Min(firstScored, Length); i++)
            for (int j = 0; j < ObservedSize; j++) mask[i, j] = false;
        return new Trajectory(Id, Times, Values, mask, Inputs);
    }
}
