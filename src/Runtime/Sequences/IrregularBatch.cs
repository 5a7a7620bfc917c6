using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Sequences;

/// <summary>
/// Trajectories observed at their own, irregular times, in the two layouts a latent-variable sequence model needs:
/// <list type="bullet">
/// <item>on the <b>union grid</b> (<see cref="Times"/>, <see cref="Values"/>, <see cref="Mask"/>): every row's times merged
/// into one increasing grid that starts at a common origin, so that one batched solve serves all rows; a row is scored
/// only where its mask is 1;</item>
/// <item>as <b>per-trajectory sequences</b> (<see cref="SequenceTimes"/>, <see cref="SequenceValues"/>,
/// <see cref="SequenceMask"/>): each row's own observations in order, padded at the end to the longest row, which is
/// what a recurrent encoder steps through (<see cref="GruEncoder"/>).</item>
/// </list>
/// <see cref="AtOwnTimes"/> takes any tensor on the grid back to each row's own times.
/// </summary>
/// <remarks>
/// Times are absolute: all rows share the origin (e.g. the time at which the latent initial state z₀ lives), unlike
/// <see cref="BatchBuilder"/>'s relative windows. Times of different rows closer than
/// <see cref="BatchBuilder.MergeTolerance"/> (relative) share one grid point. Missing values (NaN, or entries a
/// <see cref="Trajectory.Mask"/> leaves unscored) are 0 in the value tensors and 0 in the masks.
/// </remarks>
public sealed class IrregularBatch : IDisposable
{
    readonly int[][] gridIndex;

    IrregularBatch(IReadOnlyList<int> trajectories, int[] lengths, int[][] gridIndex, Tensor times, Tensor values, Tensor mask,
        Tensor sequenceTimes, Tensor sequenceValues, Tensor sequenceMask, Tensor sequenceIndex)
    {
        Trajectories = trajectories;
        Lengths = lengths;
        this.gridIndex = gridIndex;
        (Times, Values, Mask, SequenceTimes, SequenceValues, SequenceMask, SequenceIndex)
            = (times, values, mask, sequenceTimes, sequenceValues, sequenceMask, sequenceIndex);
    }

    /// <summary>Indices (in the dataset) of the trajectories, one per row.</summary>
    public IReadOnlyList<int> Trajectories { get; }
    /// <summary>Number of observation times of each row.</summary>
    public IReadOnlyList<int> Lengths { get; }
    /// <summary>Number of rows.</summary>
    public int Size => Trajectories.Count;

    /// <summary>The union grid <c>[T]</c>, strictly increasing; <c>Times[0]</c> is the origin.</summary>
    public Tensor Times { get; }
    /// <summary>Observations on the grid, <c>[T, batch, nObs]</c>; 0 where a row has no scored value.</summary>
    public Tensor Values { get; }
    /// <summary>1 where a row has a scored value on the grid, else 0, <c>[T, batch, nObs]</c> in the batch's dtype.</summary>
    public Tensor Mask { get; }
    /// <summary>Each row's own times, <c>[N, batch]</c> (N = longest row); padded entries repeat the row's last time.</summary>
    public Tensor SequenceTimes { get; }
    /// <summary>Each row's own observations, <c>[N, batch, nObs]</c>; 0 where missing or padded.</summary>
    public Tensor SequenceValues { get; }
    /// <summary>1 where <see cref="SequenceValues"/> holds a scored value, <c>[N, batch, nObs]</c>.</summary>
    public Tensor SequenceMask { get; }
    /// <summary>Grid position of each row's k-th time, <c>[N, batch]</c> (int64; padded entries point at the row's last time).</summary>
    public Tensor SequenceIndex { get; }

    /// <summary>
    /// Places whole trajectories of <paramref name="data"/> on one grid that starts at <paramref name="origin"/>.
    /// </summary>
    /// <param name="data">The observations; each trajectory keeps its own times.</param>
    /// <param name="trajectories">Which trajectories, one row each (at least one).</param>
    /// <param name="origin">The common start of the grid; no observation may come before it.</param>
    /// <param name="dtype">Floating-point type of the tensors.</param>
    /// <param name="device">Device of the tensors.</param>
    /// <exception cref="ArgumentException">An index is out of range, an observation precedes the origin, or a row has two times the grid cannot tell apart.</exception>
    public static IrregularBatch Build(TrajectoryDataset data, IReadOnlyList<int> trajectories, double origin, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trajectories);
        ArgumentNullException.ThrowIfNull(device);
        if (trajectories.Count == 0) throw new ArgumentException("A batch needs at least one trajectory.", nameof(trajectories));
        if (!double.IsFinite(origin)) throw new ArgumentOutOfRangeException(nameof(origin), origin, "The origin must be finite.");
        foreach (int i in trajectories)
        {
            if (i < 0 || i >= data.Count)
                throw new ArgumentOutOfRangeException(nameof(trajectories), $"Trajectory index {i} is outside the dataset of {data.Count}.");
            var first = data.Trajectories[i];
            if (first.StartTime < origin)
                throw new ArgumentException(
                    $"Trajectory '{first.Id}' is observed at t = {first.StartTime:R}, before the origin {origin:R}; choose an origin at or before every observation.",
                    nameof(origin));
        }

        var windows = BatchBuilder.Whole(data, trajectories);
        var starts = Enumerable.Repeat(origin, windows.Count).ToArray();
        var (merged, index) = BatchBuilder.MergeGrid(data, windows, starts, relative: false);
        // The grid starts at the origin even where no row is observed there (the time of z₀).
        bool prepend = merged[0] > BatchBuilder.MergeTolerance * Math.Max(1.0, Math.Abs(origin) + Math.Abs(merged[^1]));
        var grid = (prepend ? merged.Prepend(0.0) : merged).Select(g => g + origin).ToArray();
        if (prepend) foreach (var row in index) for (int k = 0; k < row.Length; k++) row[k]++;
        else grid[0] = origin;

        int t = grid.Length, b = trajectories.Count, n = data.ObservedSize;
        int longest = trajectories.Max(i => data.Trajectories[i].Length);
        var values = new double[t * b * n];
        var mask = new double[t * b * n];
        var seqTimes = new double[longest * b];
        var seqValues = new double[longest * b * n];
        var seqMask = new double[longest * b * n];
        var seqIndex = new long[longest * b];
        var lengths = new int[b];
        for (int r = 0; r < b; r++)
        {
            var tr = data.Trajectories[trajectories[r]];
            lengths[r] = tr.Length;
            for (int k = 0; k < longest; k++)
            {
                int kk = Math.Min(k, tr.Length - 1);
                seqTimes[k * b + r] = tr.Times[kk];
                seqIndex[k * b + r] = index[r][kk];
                if (k >= tr.Length) continue;
                for (int j = 0; j < n; j++)
                {
                    if (!tr.Mask[k, j]) continue;
                    int onGrid = (index[r][k] * b + r) * n + j, own = (k * b + r) * n + j;
                    (values[onGrid], mask[onGrid]) = (tr.Values[k, j], 1.0);
                    (seqValues[own], seqMask[own]) = (tr.Values[k, j], 1.0);
                }
            }
        }

        using var scope = NewDisposeScope();
        var tensors = new[]
        {
            Make(grid, [t], dtype, device), Make(values, [t, b, n], dtype, device), Make(mask, [t, b, n], dtype, device),
            Make(seqTimes, [longest, b], dtype, device), Make(seqValues, [longest, b, n], dtype, device),
            Make(seqMask, [longest, b, n], dtype, device), torch.tensor(seqIndex, [longest, b]).to(device),
        };
        foreach (var x in tensors) x.MoveToOuterDisposeScope();
        return new IrregularBatch(trajectories.ToArray(), lengths, index, tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], tensors[6]);
    }

    /// <summary>
    /// Takes values on the grid back to each row's own times: <c>[T, batch, k]</c> → <c>[N, batch, k]</c> (a gather along
    /// time, differentiable; padded entries repeat the row's last time, use <see cref="SequenceMask"/> to ignore them).
    /// </summary>
    public Tensor AtOwnTimes(Tensor onGrid)
    {
        ArgumentNullException.ThrowIfNull(onGrid);
        if (onGrid.dim() != 3 || onGrid.shape[0] != Times.shape[0] || onGrid.shape[1] != Size)
            throw new ArgumentException(
                $"Expected values on the grid, [T = {Times.shape[0]}, batch = {Size}, k], but got [{string.Join(", ", onGrid.shape)}].", nameof(onGrid));
        using var scope = NewDisposeScope();
        var index = SequenceIndex.unsqueeze(-1).expand(SequenceIndex.shape[0], Size, onGrid.shape[2]);
        return onGrid.gather(0, index).MoveToOuterDisposeScope();
    }

    /// <summary>Row <paramref name="row"/> of a grid tensor <c>[T, batch, k]</c> at that row's own times, as host doubles <c>[length, k]</c>.</summary>
    public double[,] RowAtOwnTimes(Tensor onGrid, int row)
    {
        ArgumentNullException.ThrowIfNull(onGrid);
        if (row < 0 || row >= Size) throw new ArgumentOutOfRangeException(nameof(row), $"Row {row} is outside the batch of {Size}.");
        using var scope = NewDisposeScope();
        var host = onGrid.select(1, row).detach().to(ScalarType.Float64, CPU).contiguous();
        var all = host.data<double>().ToArray();
        int k = (int)host.shape[1];
        var result = new double[Lengths[row], k];
        for (int i = 0; i < Lengths[row]; i++)
            for (int j = 0; j < k; j++) result[i, j] = all[gridIndex[row][i] * k + j];
        return result;
    }

    /// <summary>
    /// Mean squared error of <paramref name="prediction"/> (<c>[T, batch, nObs]</c> on the grid) over the scored entries,
    /// as a 0-d tensor.
    /// </summary>
    public Tensor MaskedMeanSquaredError(Tensor prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (!prediction.shape.SequenceEqual(Values.shape))
            throw new ArgumentException($"The prediction must have the grid's shape [{string.Join(", ", Values.shape)}] but has [{string.Join(", ", prediction.shape)}].", nameof(prediction));
        using var scope = NewDisposeScope();
        var count = ScalarOps.ClampMin(Mask.sum(), 1.0);
        return (ScalarOps.Square(ScalarOps.Sub(prediction, Values, 1.0)) * Mask).sum().div(count).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Times.Dispose();
        Values.Dispose();
        Mask.Dispose();
        SequenceTimes.Dispose();
        SequenceValues.Dispose();
        SequenceMask.Dispose();
        SequenceIndex.Dispose();
    }

    static Tensor Make(double[] values, long[] shape, ScalarType dtype, Device device)
        => torch.tensor(values, shape, ScalarType.Float64).to(dtype, device);
}
