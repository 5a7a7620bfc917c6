using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Plotting;

/// <summary>PNG charts of a training run, built on <see cref="Charts"/>.</summary>
public static class TrainingCharts
{
    /// <summary>
    /// Observed values (markers, scored entries only) and the prediction (lines) of every observed state of one
    /// trajectory against time.
    /// </summary>
    /// <param name="prediction">Predicted observed states <c>[T, nObs]</c> at <paramref name="predictionTimes"/>, e.g. from <see cref="Trainer.Predict"/>.</param>
    public static void SaveTrajectories(string path, TrajectoryDataset data, int trajectory, double[] predictionTimes, double[,] prediction,
        string? title = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tr = data.Trajectories[trajectory];
        CheckPrediction(predictionTimes, prediction, tr.ObservedSize);
        var series = new List<Series>();
        for (int j = 0; j < tr.ObservedSize; j++)
        {
            var rows = Enumerable.Range(0, tr.Length).Where(i => tr.Mask[i, j]).ToArray();
            series.Add(new Series($"{data.StateNames[j]} data", rows.Select(i => tr.Times[i]).ToArray(), rows.Select(i => tr.Values[i, j]).ToArray(), SeriesStyle.Markers, Color: j));
            series.Add(new Series($"{data.StateNames[j]} model", predictionTimes, Column(prediction, j), Color: j));
        }
        Charts.SaveLines(path, title ?? $"Trajectory {tr.Id}: data vs model", "t", "state", series);
    }

    /// <summary>Phase portrait of two observed states: data (markers) and prediction (line) of one trajectory.</summary>
    public static void SavePhasePortrait(string path, TrajectoryDataset data, int trajectory, double[,] prediction, int xState = 0, int yState = 1,
        string? title = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(prediction);
        var tr = data.Trajectories[trajectory];
        var rows = Enumerable.Range(0, tr.Length).Where(i => tr.Mask[i, xState] && tr.Mask[i, yState]).ToArray();
        var series = new[]
        {
            new Series("data", rows.Select(i => tr.Values[i, xState]).ToArray(), rows.Select(i => tr.Values[i, yState]).ToArray(), SeriesStyle.Markers),
            new Series("model", Column(prediction, xState), Column(prediction, yState)),
        };
        Charts.SaveLines(path, title ?? $"Phase portrait of trajectory {tr.Id}", data.StateNames[xState], data.StateNames[yState], series, equalAxes: true);
    }

    /// <summary>Training and validation loss per epoch on a log scale.</summary>
    public static void SaveLossCurves(string path, IReadOnlyList<EpochMetrics> history, string title = "Loss")
    {
        ArgumentNullException.ThrowIfNull(history);
        var epochs = history.Select(m => (double)(m.Epoch + 1)).ToArray();
        var series = new List<Series> { new("training", epochs, history.Select(m => m.Loss).ToArray()) };
        var validated = history.Where(m => m.ValidationLoss is not null).ToArray();
        if (validated.Length > 0)
            series.Add(new Series("validation", validated.Select(m => (double)(m.Epoch + 1)).ToArray(), validated.Select(m => m.ValidationLoss!.Value).ToArray(), SeriesStyle.Dashed));
        Charts.SaveLines(path, title, "epoch", "loss", series, logY: true);
    }

    /// <summary>Learned and (optionally) true vector fields over two state components on one grid, with optional trajectories.</summary>
    public static void SaveVectorFieldComparison(string path, IOdeSystem learned, IOdeSystem? truth, int stateSize,
        (double Min, double Max) xRange, (double Min, double Max) yRange, ScalarType dtype, Device device,
        IEnumerable<Series>? overlays = null, int xState = 0, int yState = 1, string title = "Vector field: learned vs true")
    {
        var fields = new List<VectorFieldSeries> { new("learned", FieldOf(learned, stateSize, xState, yState, dtype, device)) };
        if (truth is not null) fields.Add(new VectorFieldSeries("true", FieldOf(truth, stateSize, xState, yState, dtype, device)));
        Charts.SaveVectorFields(path, title, xRange, yRange, fields, overlays);
    }

    /// <summary>
    /// A grid evaluator for <see cref="Charts.SaveVectorFields"/>: the rates of <paramref name="system"/> at t = 0 with
    /// components <paramref name="xState"/>, <paramref name="yState"/> set from the grid and the others zero, in one batched call.
    /// </summary>
    public static Func<double[], double[], (double[] U, double[] V)> FieldOf(IOdeSystem system, int stateSize, int xState, int yState,
        ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(system);
        return (xs, ys) =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var y = new double[xs.Length * stateSize];
            for (int k = 0; k < xs.Length; k++) (y[k * stateSize + xState], y[k * stateSize + yState]) = (xs[k], ys[k]);
            var state = torch.tensor(y, [xs.Length, stateSize], ScalarType.Float64).to(dtype, device);
            var rates = system.Rates(torch.tensor(0.0, dtype, device), state).to(ScalarType.Float64, CPU).contiguous();
            var f = rates.data<double>().ToArray();
            return (Enumerable.Range(0, xs.Length).Select(k => f[k * stateSize + xState]).ToArray(),
                    Enumerable.Range(0, xs.Length).Select(k => f[k * stateSize + yState]).ToArray());
        };
    }

    static double[] Column(double[,] values, int j) => Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, j]).ToArray();

    static void CheckPrediction(double[] times, double[,] prediction, int observed)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(prediction);
        if (prediction.GetLength(0) != times.Length || prediction.GetLength(1) != observed)
            throw new ArgumentException($"The prediction is [{prediction.GetLength(0)}, {prediction.GetLength(1)}] but needs [{times.Length}, {observed}].", nameof(prediction));
    }
}
