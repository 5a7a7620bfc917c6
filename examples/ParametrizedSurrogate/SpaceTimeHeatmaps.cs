using ScottPlot;

namespace ParametrizedSurrogate;

/// <summary>Space–time heatmaps (x across, t upwards): truth, prediction and |error| side by side in one PNG.</summary>
public static class SpaceTimeHeatmaps
{
    /// <summary>Saves truth, prediction (same colour scale) and absolute error panels of one case.</summary>
    /// <param name="path">Output PNG.</param>
    /// <param name="title">Title prefix, e.g. "μ = 0.14 (interpolation)".</param>
    /// <param name="grid">Grid coordinates <c>[n]</c>.</param>
    /// <param name="times">Output times <c>[T]</c> (uniform).</param>
    /// <param name="truth">Reference <c>[T, n]</c>.</param>
    /// <param name="prediction">Surrogate <c>[T, n]</c>.</param>
    /// <param name="trainingEnd">Drawn as a horizontal line: above it is time extrapolation.</param>
    public static void Save(string path, string title, double[] grid, double[] times, double[,] truth, double[,] prediction, double trainingEnd)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        int t = truth.GetLength(0), n = truth.GetLength(1);
        var error = new double[t, n];
        for (int i = 0; i < t; i++)
            for (int j = 0; j < n; j++) error[i, j] = System.Math.Abs(prediction[i, j] - truth[i, j]);
        double lo = Enumerable.Range(0, t * n).Min(k => truth[k / n, k % n]);
        double hi = Enumerable.Range(0, t * n).Max(k => truth[k / n, k % n]);

        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Panel(multiplot.GetPlot(0), $"{title}: truth", grid, times, truth, new ScottPlot.Range(lo, hi), trainingEnd);
        Panel(multiplot.GetPlot(1), "prediction", grid, times, prediction, new ScottPlot.Range(lo, hi), trainingEnd);
        Panel(multiplot.GetPlot(2), "|prediction − truth|", grid, times, error, null, trainingEnd);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        multiplot.SavePng(path, 1500, 520);
    }

    static void Panel(Plot plot, string title, double[] grid, double[] times, double[,] values, ScottPlot.Range? range, double trainingEnd)
    {
        int t = values.GetLength(0);
        // ScottPlot draws row 0 at the top; flip so that time runs upwards.
        var flipped = new double[t, values.GetLength(1)];
        for (int i = 0; i < t; i++)
            for (int j = 0; j < values.GetLength(1); j++) flipped[t - 1 - i, j] = values[i, j];
        var heatmap = plot.Add.Heatmap(flipped);
        heatmap.Colormap = new ScottPlot.Colormaps.Turbo();
        if (range is { } r) heatmap.ManualRange = r;
        double dx = grid[1] - grid[0], dt = times[1] - times[0];
        heatmap.Extent = new CoordinateRect(grid[0] - dx / 2, grid[^1] + dx / 2, times[0] - dt / 2, times[^1] + dt / 2);
        plot.Add.ColorBar(heatmap);
        var line = plot.Add.HorizontalLine(trainingEnd);
        line.Color = Colors.White;
        line.LinePattern = LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel("x");
        plot.YLabel("t");
        plot.Axes.SetLimits(grid[0] - dx / 2, grid[^1] + dx / 2, times[0] - dt / 2, times[^1] + dt / 2);
    }
}
