using NodeDsl.Runtime.Data;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Data;

public class WindowSamplerTests
{
    static TrajectoryDataset Regular(params int[] lengths)
    {
        var trajectories = lengths.Select((length, k) =>
        {
            // i * 0.1 (not a running sum): differences t[s+j] − t[s] then differ between windows by round-off only.
            var times = Enumerable.Range(0, length).Select(i => i * 0.1).ToArray();
            var values = new double[length, 2];
            for (int i = 0; i < length; i++) (values[i, 0], values[i, 1]) = (i, -i);
            return new Trajectory($"r{k}", times, values);
        }).ToArray();
        return new TrajectoryDataset(["a", "b"], [], trajectories);
    }

    [Fact]
    public void PointWindowsStayInBoundsAndAreReproducible()
    {
        var data = Regular(50, 30);
        var sampler = new WindowSampler { BatchSize = 16, BatchesPerEpoch = 20, MinPoints = 3, MaxPoints = 8 };
        var epoch = sampler.SampleEpoch(data, new SeededRandom(42));
        var windows = epoch.SelectMany(b => b).ToArray();
        Assert.Equal(320, windows.Length);
        foreach (var w in windows)
        {
            Assert.InRange(w.Count, 3, 8);
            Assert.True(w.Start >= 0 && w.Start + w.Count <= data.Trajectories[w.Trajectory].Length);
        }
        Assert.Equal(Enumerable.Range(3, 6), windows.Select(w => w.Count).Distinct().Order());   // every length occurs
        Assert.Equal(2, windows.Select(w => w.Trajectory).Distinct().Count());

        Assert.Equal(windows, sampler.SampleEpoch(data, new SeededRandom(42)).SelectMany(b => b));
        Assert.NotEqual(windows, sampler.SampleEpoch(data, new SeededRandom(43)).SelectMany(b => b));
    }

    [Fact]
    public void DurationWindowsRespectDurationAndPointBounds()
    {
        var data = Regular(200);
        var sampler = new WindowSampler { BatchSize = 50, BatchesPerEpoch = 4, MinPoints = 2, MaxPoints = 12, MinDuration = 0.5, MaxDuration = 1.5 };
        foreach (var w in sampler.SampleEpoch(data, new SeededRandom(1)).SelectMany(b => b))
        {
            var t = data.Trajectories[0].Times;
            double duration = t[w.Start + w.Count - 1] - t[w.Start];
            Assert.InRange(w.Count, 2, 12);
            Assert.True(duration <= 1.5 + 1e-12, $"duration {duration}");
            // The last point may fall short of the drawn duration by less than one spacing (0.1), unless capped by MaxPoints.
            Assert.True(duration > 0.5 - 0.1 - 1e-12 || w.Count == 12, $"duration {duration}");
        }
    }

    [Fact]
    public void WindowsOfARegularGridShareOneTimeGrid()
    {
        var data = Regular(100);
        var windows = new[] { new BatchWindow(0, 0, 10), new BatchWindow(0, 37, 10), new BatchWindow(0, 81, 10) };
        using var batch = BatchBuilder.Build(data, windows, ScalarType.Float64, CPU);
        Assert.True(batch.RelativeTimes);
        Assert.Equal(10, batch.Times.shape[0]);   // one shared grid, no union blow-up from round-off
        Assert.Null(batch.Mask);
        Assert.Equal([10, 3, 2], batch.Observations.shape);
        Assert.Equal(37.0, batch.InitialObservations[1, 0].item<double>());
        Assert.Equal(-90.0, batch.Observations[9, 2, 1].item<double>());

        // Unequal lengths: the grid is the longest window; shorter rows are unscored past their end.
        using var mixed = BatchBuilder.Build(data, [new BatchWindow(0, 5, 4), new BatchWindow(0, 50, 7)], ScalarType.Float64, CPU);
        Assert.Equal(7, mixed.Times.shape[0]);
        Assert.NotNull(mixed.Mask);
        Assert.Equal((4 + 7) * 2, mixed.Mask!.sum().item<long>());
    }

    [Fact]
    public void IrregularTrajectoriesUseTheUnionOfTheirTimes()
    {
        var a = new Trajectory("a", [0.0, 0.3, 1.0], new double[,] { { 1 }, { 2 }, { 3 } });
        var b = new Trajectory("b", [0.0, 0.5, 1.0, 2.0], new double[,] { { 4 }, { 5 }, { 6 }, { 7 } });
        var data = new TrajectoryDataset(["x"], [], [a, b]);
        using var batch = BatchBuilder.Build(data, BatchBuilder.Whole(data, [0, 1]), ScalarType.Float64, CPU);
        Assert.False(batch.RelativeTimes);   // both start at 0: absolute times
        Assert.Equal([0.0, 0.3, 0.5, 1.0, 2.0], batch.Times.data<double>().ToArray());
        Assert.Equal(7, batch.Mask!.sum().item<long>());
        Assert.Equal(6.0, batch.Observations[3, 1, 0].item<double>());
        Assert.False(batch.Mask[1, 1, 0].item<bool>());
    }

    [Fact]
    public void WholeTrajectorySamplerCoversEveryTrajectoryOnce()
    {
        var data = Regular(5, 6, 7, 8, 9);
        var epoch = new WholeTrajectorySampler { BatchSize = 2 }.SampleEpoch(data, new SeededRandom(3));
        Assert.Equal(3, epoch.Count);
        Assert.Equal([0, 1, 2, 3, 4], epoch.SelectMany(b => b).Select(w => w.Trajectory).Order());
        Assert.All(epoch.SelectMany(b => b), w => Assert.Equal(data.Trajectories[w.Trajectory].Length, w.Count));
    }
}
