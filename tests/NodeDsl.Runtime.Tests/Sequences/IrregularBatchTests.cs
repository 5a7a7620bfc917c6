using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Sequences;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Sequences;

/// <summary>Union-grid batching of trajectories observed at their own times.</summary>
public sealed class IrregularBatchTests
{
    /// <summary>Three trajectories: different lengths, one shared time (0.5), one missing value, none at the origin 0.</summary>
    static TrajectoryDataset Data() => TrajectoryDataset.FromArrays(["x", "y"],
        [[0.5, 1.25, 2.0], [0.1, 0.5], [0.3, 0.7, 0.9, 3.0]],
        [
            new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } },
            new double[,] { { 7, double.NaN }, { 9, 10 } },
            new double[,] { { 11, 12 }, { 13, 14 }, { 15, 16 }, { 17, 18 } },
        ]);

    static double[] Host(Tensor t) => t.to(ScalarType.Float64).contiguous().data<double>().ToArray();

    [Fact]
    public void GridIsTheUnionOfTheTimesFromTheOrigin()
    {
        var data = Data();
        using var batch = IrregularBatch.Build(data, [0, 1, 2], 0.0, ScalarType.Float64, CPU);
        // 0 (origin, no observation) then every distinct time; 0.5 is shared by rows 0 and 1.
        Assert.Equal(new[] { 0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.25, 2.0, 3.0 }, Host(batch.Times));
        Assert.Equal(new[] { 3, 2, 4 }, batch.Lengths);
        // One mask entry per observed value: 9 observations × 2 components − 1 missing.
        Assert.Equal(17.0, batch.Mask.sum().item<double>());
    }

    [Fact]
    public void EachTrajectoryComesBackAtItsOwnTimes()
    {
        var data = Data();
        using var batch = IrregularBatch.Build(data, [2, 0, 1], 0.0, ScalarType.Float64, CPU);
        var grid = Host(batch.Times);
        for (int r = 0; r < batch.Size; r++)
        {
            var tr = data.Trajectories[batch.Trajectories[r]];
            var own = batch.RowAtOwnTimes(batch.Values, r);
            var ownMask = batch.RowAtOwnTimes(batch.Mask, r);
            var index = Host(batch.SequenceIndex.select(1, r));
            for (int k = 0; k < tr.Length; k++)
            {
                Assert.Equal(tr.Times[k], grid[(int)index[k]], 15);
                for (int j = 0; j < 2; j++)
                {
                    Assert.Equal(tr.Mask[k, j] ? 1.0 : 0.0, ownMask[k, j]);
                    Assert.Equal(tr.Mask[k, j] ? tr.Values[k, j] : 0.0, own[k, j]);
                }
            }
        }
        // The gather of the grid values at own times is the per-trajectory layout, entry by entry where scored.
        using var gathered = batch.AtOwnTimes(batch.Values);
        Assert.Equal(Host(batch.SequenceValues), Host(gathered * batch.SequenceMask));
        // Sequence times are each row's own, padded with its last time.
        Assert.Equal(new[] { 0.3, 0.5, 0.1 }, Host(batch.SequenceTimes[0]));
        Assert.Equal(new[] { 3.0, 2.0, 0.5 }, Host(batch.SequenceTimes[3]));
        Assert.Equal(0.0, batch.SequenceMask[3, 1].sum().item<double>());
    }

    [Fact]
    public void MaskedMeanSquaredErrorCountsOnlyScoredEntries()
    {
        var data = Data();
        using var batch = IrregularBatch.Build(data, [0, 1], 0.0, ScalarType.Float64, CPU);
        using var prediction = batch.Values + 2.0 * batch.Mask + 100.0 * (1.0 - batch.Mask);
        // Every scored entry is off by exactly 2; unscored entries (off by 100) must not count.
        Assert.Equal(4.0, batch.MaskedMeanSquaredError(prediction).item<double>(), 14);
    }

    [Fact]
    public void AnOriginAtAnObservationIsNotDuplicated()
    {
        var data = Data();
        using var batch = IrregularBatch.Build(data, [1], 0.1, ScalarType.Float64, CPU);
        Assert.Equal(new[] { 0.1, 0.5 }, Host(batch.Times));
    }

    [Fact]
    public void BadRequestsAreRejectedWithTheirCause()
    {
        var data = Data();
        var early = Assert.Throws<ArgumentException>(() => IrregularBatch.Build(data, [0, 1], 0.2, ScalarType.Float64, CPU));
        Assert.Contains("before the origin", early.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IrregularBatch.Build(data, [5], 0.0, ScalarType.Float64, CPU));
        Assert.Throws<ArgumentException>(() => IrregularBatch.Build(data, [], 0.0, ScalarType.Float64, CPU));
        using var batch = IrregularBatch.Build(data, [0, 1], 0.0, ScalarType.Float64, CPU);
        using var wrong = zeros(3, 2, 2, ScalarType.Float64);
        Assert.Contains("grid", Assert.Throws<ArgumentException>(() => batch.AtOwnTimes(wrong)).Message);
    }
}
