using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Data;

/// <summary>Places windows of trajectories on one shared output-time grid (see <see cref="TrajectoryBatch"/>).</summary>
public static class BatchBuilder
{
    /// <summary>
    /// Relative tolerance (times the largest |t| of the grid, at least 1) under which two rows' times count as the same
    /// grid point. Windows of a regular grid differ by round-off only (t[s+j] − t[s] for different s), and merging them
    /// moves an output time by at most this much, far below any solver tolerance.
    /// </summary>
    public const double MergeTolerance = 1e-9;

    /// <summary>Builds the tensors of a batch on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public static TrajectoryBatch Build(TrajectoryDataset data, IReadOnlyList<BatchWindow> windows, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) throw new ArgumentException("A batch needs at least one window.", nameof(windows));
        foreach (var w in windows)
        {
            if (w.Trajectory < 0 || w.Trajectory >= data.Count)
                throw new ArgumentOutOfRangeException(nameof(windows), $"Window refers to trajectory {w.Trajectory} but the dataset has {data.Count}.");
            var tr = data.Trajectories[w.Trajectory];
            if (w.Count < 2 || w.Start < 0 || w.Start + w.Count > tr.Length)
                throw new ArgumentOutOfRangeException(nameof(windows),
                    $"Window [{w.Start}, {w.Start + w.Count}) of trajectory '{tr.Id}' (length {tr.Length}) is out of range or has fewer than 2 points.");
        }

        var starts = windows.Select(w => data.Trajectories[w.Trajectory].Times[w.Start]).ToArray();
        bool relative = starts.Any(s => s != starts[0]);
        double origin = relative ? 0 : starts[0];
        var (grid, index) = MergeGrid(data, windows, starts, relative);
        if (grid.Length < 2) throw new ArgumentException("A batch needs at least two distinct output times.");

        int t = grid.Length, b = windows.Count, n = data.ObservedSize, m = data.InputSize;
        var obs = new double[t * b * n];
        var mask = new bool[t * b * n];
        var first = new double[b * n];
        var inputs = new double[b * m];
        bool allScored = true;
        for (int r = 0; r < b; r++)
        {
            var w = windows[r];
            var tr = data.Trajectories[w.Trajectory];
            for (int j = 0; j < n; j++) first[r * n + j] = tr.Values[w.Start, j];
            for (int j = 0; j < m; j++) inputs[r * m + j] = tr.Inputs[j];
            for (int k = 0; k < w.Count; k++)
                for (int j = 0; j < n; j++)
                {
                    int at = (index[r][k] * b + r) * n + j;
                    bool scored = tr.Mask[w.Start + k, j];
                    mask[at] = scored;
                    obs[at] = scored ? tr.Values[w.Start + k, j] : 0.0;
                }
        }
        foreach (var s in mask) allScored &= s;
        double largest = LargestMagnitude(obs, first);
        CheckRange(data, windows, dtype, largest);

        using var scope = NewDisposeScope();
        var times = Make(grid.Select(g => g + origin).ToArray(), [t], dtype, device);
        var observations = Make(obs, [t, b, n], dtype, device);
        var maskTensor = allScored ? null : torch.tensor(mask, [t, b, n]).to(device);
        var initial = Make(first, [b, n], dtype, device);
        var inputTensor = m == 0 ? null : Make(inputs, [b, m], dtype, device);
        var batch = new TrajectoryBatch(windows.ToArray(), times, relative, starts, observations, maskTensor, initial, inputTensor,
            grid[^1] - grid[0], largest);
        times.MoveToOuterDisposeScope();
        observations.MoveToOuterDisposeScope();
        maskTensor?.MoveToOuterDisposeScope();
        initial.MoveToOuterDisposeScope();
        inputTensor?.MoveToOuterDisposeScope();
        return batch;
    }

    /// <summary>Whole trajectories as windows (each needs at least 2 points).</summary>
    public static IReadOnlyList<BatchWindow> Whole(TrajectoryDataset data, IEnumerable<int> trajectories)
    {
        ArgumentNullException.ThrowIfNull(data);
        return trajectories.Select(i => new BatchWindow(i, 0, data.Trajectories[i].Length)).ToArray();
    }

    /// <summary>
    /// The union of the windows' times, relative to each row's start (<paramref name="relative"/>) or to
    /// <c>starts[0]</c>, with times closer than <see cref="MergeTolerance"/> merged; <c>Index[r][k]</c> is the grid
    /// position of point k of row r. Also used by <see cref="Sequences.IrregularBatch"/>.
    /// </summary>
    internal static (double[] Grid, int[][] Index) MergeGrid(TrajectoryDataset data, IReadOnlyList<BatchWindow> windows, double[] starts, bool relative)
    {
        var points = new List<(double Time, int Row, int K)>();
        for (int r = 0; r < windows.Count; r++)
        {
            var w = windows[r];
            var times = data.Trajectories[w.Trajectory].Times;
            for (int k = 0; k < w.Count; k++) points.Add((relative ? times[w.Start + k] - starts[r] : times[w.Start + k] - starts[0], r, k));
        }
        points.Sort((a, c) => a.Time != c.Time ? a.Time.CompareTo(c.Time) : a.Row != c.Row ? a.Row.CompareTo(c.Row) : a.K.CompareTo(c.K));
        double scale = Math.Max(1.0, points.Max(p => Math.Abs(p.Time) + Math.Abs(relative ? 0 : starts[0])));
        double tol = MergeTolerance * scale;
        var grid = new List<double>();
        var index = windows.Select(w => new int[w.Count]).ToArray();
        var rowsAtPoint = new HashSet<int>();
        double clusterStart = double.NaN;
        foreach (var p in points)
        {
            if (grid.Count == 0 || p.Time - clusterStart > tol)
            {
                grid.Add(p.Time);
                clusterStart = p.Time;
                rowsAtPoint.Clear();
            }
            if (!rowsAtPoint.Add(p.Row))
                throw new ArgumentException(
                    $"Trajectory '{data.Trajectories[windows[p.Row].Trajectory].Id}' has two times closer than {tol:G3}; they cannot be told apart on a solve grid.");
            index[p.Row][p.K] = grid.Count - 1;
        }
        return (grid.ToArray(), index);
    }

    // Unscored entries are 0 in obs; missing initial values (NaN) are skipped.
    static double LargestMagnitude(double[] obs, double[] first)
    {
        double largest = 0;
        foreach (var v in obs) largest = Math.Max(largest, Math.Abs(v));
        foreach (var v in first) if (!double.IsNaN(v)) largest = Math.Max(largest, Math.Abs(v));
        return largest;
    }

    /// <summary>Refuses data that become infinite in <paramref name="dtype"/> (e.g. 1e200 in float32), naming the first such value.</summary>
    static void CheckRange(TrajectoryDataset data, IReadOnlyList<BatchWindow> windows, ScalarType dtype, double largest)
    {
        double limit = dtype switch
        {
            ScalarType.Float32 => float.MaxValue,
            ScalarType.Float16 => 65504.0,
            ScalarType.BFloat16 => 3.3895313892515355e38,
            _ => double.MaxValue,
        };
        if (largest <= limit) return;
        foreach (var w in windows)
        {
            var tr = data.Trajectories[w.Trajectory];
            for (int k = 0; k < w.Count; k++)
                for (int j = 0; j < tr.ObservedSize; j++)
                    if (Math.Abs(tr.Values[w.Start + k, j]) > limit)
                        throw new ArgumentException(
                            $"Trajectory '{tr.Id}' has the value {tr.Values[w.Start + k, j]:G6} at time {tr.Times[w.Start + k]:R} (state '{data.StateNames[j]}'), " +
                            $"which is infinite in {dtype} (largest {limit:G6}): rescale the data (e.g. divide each state by its standard deviation) or train in float64.");
        }
    }

    static Tensor Make(double[] values, long[] shape, ScalarType dtype, Device device)
        => torch.tensor(values, shape, ScalarType.Float64).to(dtype, device);
}
