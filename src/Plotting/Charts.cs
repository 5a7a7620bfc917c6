using ScottPlot;

namespace NodeDsl.Runtime.Plotting;

/// <summary>Writes PNG charts (ScottPlot) for trajectories, phase portraits and loss curves.</summary>
public static class Charts
{
    /// <summary>Draws every series on one set of axes and saves a PNG.</summary>
    /// <param name="path">Output file; its folder is created.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Label of the horizontal axis.</param>
    /// <param name="yLabel">Label of the vertical axis.</param>
    /// <param name="series">Curves to draw.</param>
    /// <param name="logY">Logarithmic vertical axis (loss curves) with decade ticks (<see cref="LogAxes"/>); non-positive values are dropped.</param>
    /// <param name="equalAxes">Same scale on both axes (phase portraits).</param>
    public static void SaveLines(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series,
        bool logY = false, bool equalAxes = false, int width = 900, int height = 650)
        => Save(Lines(title, xLabel, yLabel, series, logY, equalAxes), path, width, height);

    /// <summary>The plot <see cref="SaveLines"/> saves (for tests that inspect its axes).</summary>
    internal static Plot Lines(string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY = false, bool equalAxes = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        double minLog = double.PositiveInfinity, maxLog = double.NegativeInfinity;
        int index = 0;
        foreach (var s in series)
        {
            s.Validate();
            var (xs, ys) = logY ? PositiveLog10(s.X, s.Y) : (s.X, s.Y);
            if (logY && ys.Length > 0) (minLog, maxLog) = (Math.Min(minLog, ys.Min()), Math.Max(maxLog, ys.Max()));
            var scatter = plot.Add.Scatter(xs, ys, new ScottPlot.Palettes.Category10().GetColor(s.Color ?? index));
            index++;
            scatter.LegendText = s.Label;
            switch (s.Style)
            {
                case SeriesStyle.Markers: scatter.LineWidth = 0; scatter.MarkerSize = 5; break;
                case SeriesStyle.Dashed: scatter.MarkerSize = 0; scatter.LineWidth = 2; scatter.LinePattern = LinePattern.Dashed; break;
                default: scatter.MarkerSize = 0; scatter.LineWidth = 2; break;
            }
        }
        if (logY && minLog <= maxLog) LogAxes.DecadeY(plot, minLog, maxLog);
        if (equalAxes) plot.Axes.SquareUnits();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        ShowLegendOutside(plot);
        return plot;
    }

    /// <summary>The legend in its own panel right of the data area, so it never covers a curve (when any series has a label).</summary>
    internal static void ShowLegendOutside(Plot plot)
    {
        if (plot.GetPlottables().Any(p => p.LegendItems.Any(i => !string.IsNullOrEmpty(i.LabelText)))) plot.ShowLegend(Edge.Right);
    }

    /// <summary>Draws a vector field as arrows on a grid plus optional trajectories, and saves a PNG.</summary>
    /// <param name="field">Returns (u, v) at each (x, y) of the grid; called once with all grid points.</param>
    public static void SaveVectorField(string path, string title, (double Min, double Max) xRange, (double Min, double Max) yRange,
        Func<double[], double[], (double[] U, double[] V)> field, IEnumerable<Series>? overlays = null, int gridSize = 21,
        int width = 800, int height = 800)
        => SaveVectorFields(path, title, xRange, yRange, [new VectorFieldSeries("", field)], overlays, gridSize, width, height);

    /// <summary>
    /// Draws several vector fields on one grid (e.g. learned vs true), each in its own colour with a legend entry,
    /// plus optional trajectories, and saves a PNG. A single field is coloured by magnitude instead.
    /// </summary>
    public static void SaveVectorFields(string path, string title, (double Min, double Max) xRange, (double Min, double Max) yRange,
        IReadOnlyList<VectorFieldSeries> fields, IEnumerable<Series>? overlays = null, int gridSize = 21,
        int width = 800, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < gridSize; i++)
            for (int j = 0; j < gridSize; j++)
            {
                xs.Add(xRange.Min + (xRange.Max - xRange.Min) * i / (gridSize - 1));
                ys.Add(yRange.Min + (yRange.Max - yRange.Min) * j / (gridSize - 1));
            }
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int index = 0;
        foreach (var f in fields)
        {
            var (u, v) = f.Field(xs.ToArray(), ys.ToArray());
            var vectors = new List<RootedCoordinateVector>();
            for (int k = 0; k < xs.Count; k++)
                vectors.Add(new RootedCoordinateVector(new Coordinates(xs[k], ys[k]), new System.Numerics.Vector2((float)u[k], (float)v[k])));
            var vf = plot.Add.VectorField(vectors);
            if (fields.Count == 1) vf.Colormap = new ScottPlot.Colormaps.Turbo();
            else
            {
                var color = palette.GetColor(index++);
                vf.ArrowLineColor = color;
                vf.ArrowFillColor = color;
            }
            if (f.Label.Length > 0) vf.LegendText = f.Label;
        }
        foreach (var s in overlays ?? [])
        {
            s.Validate();
            var scatter = plot.Add.Scatter(s.X, s.Y, palette.GetColor(s.Color ?? index));
            index++;
            scatter.LegendText = s.Label;
            scatter.MarkerSize = s.Style == SeriesStyle.Markers ? 5 : 0;
            scatter.LineWidth = s.Style == SeriesStyle.Markers ? 0 : 2;
            if (s.Style == SeriesStyle.Dashed) scatter.LinePattern = LinePattern.Dashed;
        }
        plot.Axes.SquareUnits();
        plot.Title(title);
        ShowLegendOutside(plot);
        Save(plot, path, width, height);
    }

    static void Save(Plot plot, string path, int width, int height)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        plot.SavePng(path, width, height);
    }

    static (double[] X, double[] Y) PositiveLog10(double[] x, double[] y)
    {
        var keep = Enumerable.Range(0, y.Length).Where(i => y[i] > 0 && double.IsFinite(y[i])).ToArray();
        return (keep.Select(i => x[i]).ToArray(), keep.Select(i => Math.Log10(y[i])).ToArray());
    }
}
