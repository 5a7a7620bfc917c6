using ScottPlot;

namespace NodeDsl.Runtime.Ensembles;

/// <summary>PNG charts of an ensemble's predictive distribution: one panel per state with the mean ± k·σ band.</summary>
public static class EnsembleCharts
{
    /// <summary>
    /// Saves a PNG with one row per state: the band <c>mean ± k·σ</c> of <paramref name="prediction"/> on
    /// <paramref name="times"/>, the mean, the optional <paramref name="truth"/> <c>[T, n]</c> (dashed), the point sets
    /// <paramref name="observations"/> (markers) and a vertical line at <paramref name="trainingEnd"/>.
    /// </summary>
    /// <param name="path">Output file; its folder is created.</param>
    /// <param name="title">Title of the first panel.</param>
    /// <param name="stateNames">One name per state (the panels' vertical labels).</param>
    /// <param name="times">Times of the prediction.</param>
    /// <param name="prediction">The predictive distribution at <paramref name="times"/>.</param>
    /// <param name="observations">Labelled point sets: times and values <c>[points, n]</c> (NaN = not observed).</param>
    /// <param name="truth">Noise-free truth at <paramref name="times"/>, or null.</param>
    /// <param name="trainingEnd">End of the training window, or null.</param>
    /// <param name="k">Band half-width in σ.</param>
    public static void SaveBands(string path, string title, IReadOnlyList<string> stateNames, double[] times, PredictiveDistribution prediction,
        IReadOnlyList<(string Label, double[] Times, double[,] Values)> observations, double[,]? truth = null, double? trainingEnd = null,
        double k = 2.0, int width = 1000, int heightPerState = 380)
    {
        ArgumentNullException.ThrowIfNull(stateNames);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(observations);
        if (times.Length != prediction.Times || stateNames.Count != prediction.States)
            throw new ArgumentException($"The prediction is [{prediction.Times}, {prediction.States}] but {times.Length} times and {stateNames.Count} state names were given.");
        var palette = new ScottPlot.Palettes.Category10();
        var sd = prediction.StdDev;
        var multiplot = new Multiplot();
        for (int s = 0; s < prediction.States; s++)
        {
            var plot = s == 0 ? multiplot.GetPlot(0) : multiplot.AddPlot();
            var mean = Column(prediction.Mean, s);
            var lower = mean.Select((m, i) => m - k * sd[i, s]).ToArray();
            var upper = mean.Select((m, i) => m + k * sd[i, s]).ToArray();
            var band = plot.Add.FillY(times, lower, upper);
            band.FillColor = palette.GetColor(0).WithAlpha(0.25);
            band.LineWidth = 0;
            band.LegendText = $"mean ± {k:0.#}σ";
            var line = plot.Add.Scatter(times, mean, palette.GetColor(0));
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = "ensemble mean";
            if (truth is not null)
            {
                var dashed = plot.Add.Scatter(times, Column(truth, s), Colors.Black);
                dashed.MarkerSize = 0;
                dashed.LineWidth = 1.5f;
                dashed.LinePattern = LinePattern.Dashed;
                dashed.LegendText = "truth";
            }
            int color = 1;
            foreach (var (label, at, values) in observations)
            {
                var column = Column(values, s);
                var keep = Enumerable.Range(0, at.Length).Where(i => !double.IsNaN(column[i])).ToArray();
                var markers = plot.Add.Scatter(keep.Select(i => at[i]).ToArray(), keep.Select(i => column[i]).ToArray(), palette.GetColor(color++));
                markers.LineWidth = 0;
                markers.MarkerSize = 5;
                markers.LegendText = label;
            }
            if (trainingEnd is { } end)
            {
                var v = plot.Add.VerticalLine(end);
                v.Color = Colors.Gray;
                v.LinePattern = LinePattern.Dotted;
                v.LegendText = "end of training window";
            }
            if (s == 0) plot.Title(title);
            plot.XLabel("t");
            plot.YLabel(stateNames[s]);
            plot.ShowLegend(Edge.Right);   // outside the data area: never over a flow or a band
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        multiplot.SavePng(path, width, heightPerState * prediction.States);
    }

    static double[] Column(double[,] values, int column)
        => Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, column]).ToArray();
}
