using NodeDsl.Runtime.Plotting;
using ScottPlot;

namespace SolverComparison;

/// <summary>
/// Grouped bar charts (one group per method, one bar per data spacing) with ScottPlot directly: NodeDsl.Runtime's
/// <c>Charts</c> draws lines and vector fields only.
/// </summary>
public static class BarChart
{
    /// <summary>Saves a PNG; a missing value (null or non-finite) leaves a gap labelled <paramref name="missingLabel"/>.</summary>
    /// <param name="groups">Group labels on the horizontal axis.</param>
    /// <param name="series">One entry per bar of a group: legend text and one value per group.</param>
    /// <param name="logY">Draw log10 of the values on a decade axis (bars rise from the decade below the smallest one); non-positive values count as missing.</param>
    public static void Save(string path, string title, string yLabel, IReadOnlyList<string> groups,
        IReadOnlyList<(string Label, double?[] Values)> series, bool logY = false, string missingLabel = "n/a",
        int width = 1000, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(series);
        static bool Usable(double? v, bool log) => v is { } x && double.IsFinite(x) && (!log || x > 0);
        double? Y(double? v) => !Usable(v, logY) ? null : logY ? System.Math.Log10(v!.Value) : v!.Value;
        var shown = series.SelectMany(s => s.Values.Select(Y)).Where(v => v is not null).Select(v => v!.Value).ToArray();
        // Log bars rise from the decade below the smallest value (the bottom of the decade axis).
        double baseline = logY && shown.Length > 0 ? LogAxes.DecadeLimits(shown.Min(), shown.Max()).Low : 0;

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        var missing = new List<(double X, string Text)>();
        int slots = series.Count + 1;   // one empty slot between groups
        for (int g = 0; g < groups.Count; g++)
            for (int s = 0; s < series.Count; s++)
            {
                double x = g * slots + s;
                if (Y(series[s].Values[g]) is { } y)
                    bars.Add(new Bar { Position = x, Value = y, ValueBase = baseline, FillColor = palette.GetColor(s), Size = 0.9 });
                else missing.Add((x, missingLabel));
            }
        plot.Add.Bars(bars);
        foreach (var (x, text) in missing)
        {
            var label = plot.Add.Text(text, x, baseline);
            label.LabelRotation = -90;
            label.LabelFontColor = Colors.DarkRed;
        }
        double center = (series.Count - 1) / 2.0;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, groups.Count).Select(g => g * slots + center).ToArray(), groups.ToArray());
        plot.Axes.Margins(bottom: 0);
        if (logY && shown.Length > 0) LogAxes.DecadeY(plot, shown.Min(), shown.Max());
        plot.Title(title);
        plot.YLabel(yLabel);
        // Right of the data area, so the legend never covers a bar.
        plot.Legend.ManualItems.AddRange(series.Select((s, i) => new LegendItem { LabelText = s.Label, FillColor = palette.GetColor(i) }));
        plot.ShowLegend(Edge.Right);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        plot.SavePng(path, width, height);
    }
}
