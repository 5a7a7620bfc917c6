using NodeDsl.Runtime.Data;

namespace NodeDsl.Runtime.Tests.Data;

public class TrajectoryCsvTests
{
    static TrajectoryDataset Sample()
    {
        var a = new Trajectory("a", [0.0, 0.1, 0.25], new double[,] { { 1.0, 2.0 }, { double.NaN, 2.1 }, { 1.2, 1.0 / 3 } }, inputs: [0.5]);
        var b = new Trajectory("b", [0.0, 0.3], new double[,] { { -1.0, double.NaN }, { 1e-300, 4.0 } }, inputs: [-2.25]);
        return new TrajectoryDataset(["x", "y"], ["mu"], [a, b]);
    }

    [Fact]
    public void RoundTripKeepsTimesValuesMasksAndInputs()
    {
        var data = Sample();
        var text = new StringWriter();
        TrajectoryCsv.Write(data, text);
        Assert.StartsWith("trajectory,time,x,y,input:mu", text.ToString());

        var back = TrajectoryCsv.Read(new StringReader(text.ToString()));
        Assert.Equal(data.StateNames, back.StateNames);
        Assert.Equal(data.InputNames, back.InputNames);
        Assert.Equal(data.Count, back.Count);
        for (int k = 0; k < data.Count; k++)
        {
            var (x, y) = (data.Trajectories[k], back.Trajectories[k]);
            Assert.Equal(x.Id, y.Id);
            Assert.Equal(x.Times, y.Times);        // "R" formatting round-trips doubles exactly
            Assert.Equal(x.Inputs, y.Inputs);
            Assert.Equal(x.Mask, y.Mask);
            for (int i = 0; i < x.Length; i++)
                for (int j = 0; j < x.ObservedSize; j++)
                    Assert.Equal(x.Values[i, j], y.Values[i, j]);   // NaN equals NaN here
        }
        Assert.False(back.Trajectories[0].Mask[1, 0]);
        Assert.False(back.Trajectories[1].Mask[0, 1]);
        Assert.True(back.Trajectories[0].Mask[1, 1]);
    }

    [Fact]
    public void FileRoundTripAndUnsortedRows()
    {
        var folder = Directory.CreateTempSubdirectory("nodedsl-csv-").FullName;
        try
        {
            var path = Path.Combine(folder, "sub", "data.csv");
            TrajectoryCsv.Write(Sample(), path);
            Assert.Equal(2, TrajectoryCsv.Read(path).Count);

            // Rows of a trajectory may come in any order; blanks in input cells are allowed.
            var csv = "trajectory,time,x,input:mu\nq,1.0,3,\nq,0.5,2,7\n";
            var data = TrajectoryCsv.Read(new StringReader(csv));
            Assert.Equal([0.5, 1.0], data.Trajectories[0].Times);
            Assert.Equal(2.0, data.Trajectories[0].Values[0, 0]);
            Assert.Equal([7.0], data.Trajectories[0].Inputs);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Theory]
    [InlineData("trajectory,time,x,input:mu\na,0,1,1\na,1,2,3\n", "input 'mu' of trajectory 'a' is 3")]
    [InlineData("trajectory,time,x\na,0,1\na,0,2\n", "has time 0 twice")]
    [InlineData("trajectory,time,x\na,0,abc\n", "'x' = 'abc' is not a finite number")]
    [InlineData("time,trajectory,x\na,0,1\n", "must start with 'trajectory,time'")]
    [InlineData("trajectory,time,input:mu,x\na,0,1,1\n", "state columns must come before")]
    public void BadFilesNameTheProblem(string csv, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => TrajectoryCsv.Read(new StringReader(csv)));
        Assert.Contains(expected, e.Message);
    }
}
