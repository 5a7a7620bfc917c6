using NodeDsl.Runtime.Data;

namespace NodeDsl.Runtime.Export;

/// <summary>Per-component ranges of a data set, for <see cref="WeightMetadataTraining.FromTraining"/>.</summary>
internal static class TrainingRanges
{
    public static ValueRange[] States(TrajectoryDataset data)
        => data.StateNames.Select((name, j) => Range(name, data.Trajectories.SelectMany(tr => Column(tr.Values, j)))).ToArray();

    public static ValueRange[] Inputs(TrajectoryDataset data)
        => data.InputNames.Select((name, j) => Range(name, data.Trajectories.Select(tr => tr.Inputs[j]))).ToArray();

    public static ValueRange? Time(TrajectoryDataset data)
        => data.Count == 0 ? null : new ValueRange("t", data.Trajectories.Min(tr => tr.StartTime), data.Trajectories.Max(tr => tr.EndTime));

    static IEnumerable<double> Column(double[,] values, int j)
    {
        for (int i = 0; i < values.GetLength(0); i++) yield return values[i, j];
    }

    static ValueRange Range(string name, IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;   // missing observations
            min = System.Math.Min(min, v);
            max = System.Math.Max(max, v);
        }
        if (min > max) throw new ArgumentException($"The training data have no observed values of '{name}', so its range is unknown.");
        return new ValueRange(name, min, max);
    }
}
