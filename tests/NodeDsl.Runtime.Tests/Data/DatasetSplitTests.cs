using NodeDsl.Runtime.Data;

namespace NodeDsl.Runtime.Tests.Data;

public class DatasetSplitTests
{
    static TrajectoryDataset Many(int count, int length)
    {
        var trajectories = Enumerable.Range(0, count).Select(k =>
        {
            var times = Enumerable.Range(0, length).Select(i => 0.1 * i).ToArray();
            var values = new double[length, 1];
            for (int i = 0; i < length; i++) values[i, 0] = k + i;
            return new Trajectory($"t{k}", times, values);
        }).ToArray();
        return new TrajectoryDataset(["x"], [], trajectories);
    }

    [Fact]
    public void ByTrajectoryIsADeterministicPartition()
    {
        var data = Many(10, 5);
        var split = data.ByTrajectory(validationFraction: 0.2, testFraction: 0.2, seed: 7);
        Assert.Equal((6, 2, 2), (split.Train.Count, split.Validation.Count, split.Test.Count));
        var ids = split.Train.Trajectories.Concat(split.Validation.Trajectories).Concat(split.Test.Trajectories).Select(t => t.Id).ToArray();
        Assert.Equal(data.Trajectories.Select(t => t.Id).Order(), ids.Order());   // disjoint and complete

        var again = data.ByTrajectory(0.2, 0.2, seed: 7);
        Assert.Equal(split.Test.Trajectories.Select(t => t.Id), again.Test.Trajectories.Select(t => t.Id));
        Assert.Throws<ArgumentException>(() => data.ByTrajectory(0.5, 0.5, seed: 1));
    }

    [Fact]
    public void ByTimeKeepsEarlierPointsUnscoredForExtrapolation()
    {
        var split = Many(2, 10).ByTime(trainFraction: 0.6, validationFraction: 0.2);
        var train = split.Train.Trajectories[0];
        var val = split.Validation.Trajectories[0];
        var test = split.Test.Trajectories[0];
        Assert.Equal(6, train.Length);
        Assert.True(train.Mask.Cast<bool>().All(m => m));
        Assert.Equal(8, val.Length);
        Assert.Equal([false, false, false, false, false, false, true, true], Enumerable.Range(0, 8).Select(i => val.Mask[i, 0]));
        Assert.Equal(10, test.Length);
        Assert.Equal(8, Enumerable.Range(0, 10).Count(i => !test.Mask[i, 0]));
        Assert.Equal(0.0, test.Values[0, 0]);   // the initial state is still there
    }
}
