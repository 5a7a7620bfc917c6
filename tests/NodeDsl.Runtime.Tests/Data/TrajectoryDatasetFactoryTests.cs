using NodeDsl.Runtime.Data;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Data;

/// <summary>TrajectoryDataset.FromArrays / FromTensors: values land in the right trajectory, time and column; bad shapes say why.</summary>
public sealed class TrajectoryDatasetFactoryTests
{
    [Fact]
    public void JaggedArraysKeepEachTrajectoryItsOwnTimesValuesAndInputs()
    {
        var data = TrajectoryDataset.FromArrays(["x", "v"],
            times: [[0.0, 0.3, 1.1], [0.0, 2.0]],
            values: [new[,] { { 1.0, 0 }, { 0.9, -0.3 }, { double.NaN, -0.8 } }, new[,] { { 2.0, 1 }, { 1.5, 0.5 } }],
            inputNames: ["zeta"], inputs: [[0.1], [0.4]]);
        Assert.Equal(2, data.Count);
        Assert.Equal(["0", "1"], data.Trajectories.Select(t => t.Id));
        Assert.Equal([0.0, 0.3, 1.1], data.Trajectories[0].Times);
        Assert.Equal(-0.3, data.Trajectories[0].Values[1, 1]);
        Assert.False(data.Trajectories[0].Mask[2, 0]);             // NaN: missing, never scored
        Assert.Equal([0.4], data.Trajectories[1].Inputs);
        Assert.Equal(["zeta"], data.InputNames);
    }

    [Fact]
    public void ASharedGridInSolveLayoutGivesOneTrajectoryPerBatchRow()
    {
        // values[t, b, j] = 100·t + 10·b + j makes every entry's origin readable.
        var values = new double[3, 2, 2];
        for (int t = 0; t < 3; t++) for (int b = 0; b < 2; b++) for (int j = 0; j < 2; j++) values[t, b, j] = 100 * t + 10 * b + j;
        var data = TrajectoryDataset.FromArrays(["a", "b"], [0.0, 0.5, 1.0], values, ["mu"], new double[,] { { 7 }, { 8 } });
        Assert.Equal(211.0, data.Trajectories[1].Values[2, 1]);
        Assert.Equal(100.0, data.Trajectories[0].Values[1, 0]);
        Assert.Equal([8.0], data.Trajectories[1].Inputs);
    }

    [Fact]
    public void TensorsFromASolveKeepTheLeadingComponentsAndShareASingleInputRow()
    {
        using var scope = NewDisposeScope();
        var ts = tensor(new[] { 0.0, 1.0 }, dtype: ScalarType.Float32);
        var ys = arange(12, dtype: ScalarType.Float32).reshape(2, 2, 3);   // [T = 2, batch = 2, n = 3]
        var data = TrajectoryDataset.FromTensors(ts, ys, ["p", "q"], inputs: tensor(new[] { 0.5 }, [1, 1]), inputNames: ["mu"]);
        Assert.Equal(["p", "q"], data.StateNames);                             // the third component is dropped
        Assert.Equal(new double[,] { { 3, 4 }, { 9, 10 } }, data.Trajectories[1].Values);
        Assert.All(data.Trajectories, t => Assert.Equal([0.5], t.Inputs));
    }

    [Fact]
    public void MismatchedShapesAreRejectedWithAMessageThatSaysWhatToFix()
    {
        var e = Assert.Throws<ArgumentException>(() => TrajectoryDataset.FromArrays(["x"], [[0.0, 1.0]], [new double[2, 1], new double[2, 1]]));
        Assert.Contains("1 time arrays but 2 value arrays", e.Message);
        e = Assert.Throws<ArgumentException>(() => TrajectoryDataset.FromArrays(["x"], [0.0, 1.0], new double[3, 1, 1]));
        Assert.Contains("values is [3, 1, 1] but there are 2 times", e.Message);
        e = Assert.Throws<ArgumentException>(() => TrajectoryDataset.FromArrays(["x"], [[0.0, 1.0]], [new double[2, 1]], inputs: [[1.0]]));
        Assert.Contains("pass inputNames", e.Message);
        using var scope = NewDisposeScope();
        e = Assert.Throws<ArgumentException>(() => TrajectoryDataset.FromTensors(zeros(3), zeros(3, 1, 2), ["a", "b", "c"]));
        Assert.Contains("3 state names for 2 components", e.Message);
    }
}
