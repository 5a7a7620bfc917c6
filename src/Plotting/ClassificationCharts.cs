using NodeDsl.Runtime.Classification;
using ScottPlot;

namespace NodeDsl.Runtime.Plotting;

/// <summary>PNG charts of classifiers: a confusion matrix, test error per epoch.</summary>
public static class ClassificationCharts
{
    /// <summary>
    /// Saves the confusion matrix as a grid: one row per true class, one column per predicted class, each cell shaded by
    /// the fraction of its row (the recall on the diagonal) and labelled with its count and that fraction.
    /// </summary>
    /// <param name="path">Output file; its folder is created.</param>
    /// <param name="title">Chart title, e.g. the model and its accuracy.</param>
    /// <param name="matrix">The counts.</param>
    /// <param name="classNames">One short name per class.</param>
    public static void SaveConfusionMatrix(string path, string title, ConfusionMatrix matrix, IReadOnlyList<string> classNames,
        int width = 800, int height = 720)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != matrix.Classes)
            throw new ArgumentException($"The matrix has {matrix.Classes} classes but {classNames.Count} names were given.", nameof(classNames));
        int n = matrix.Classes;
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Blues();
        for (int t = 0; t < n; t++)
        {
            var fractions = matrix.RowFractions(t);
            for (int p = 0; p < n; p++)
            {
                // Row t is drawn at y = n − 1 − t, so the first class is at the top as in the usual table layout.
                double y = n - 1 - t;
                var cell = plot.Add.Rectangle(p - 0.5, p + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colormap.GetColor(0.05 + 0.9 * fractions[p]);
                cell.LineColor = Colors.White;
                var text = plot.Add.Text($"{matrix[t, p]}\n{fractions[p]:P1}", p, y);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = n > 6 ? 11 : 14;
                text.LabelFontColor = fractions[p] > 0.5 ? Colors.White : Colors.Black;
            }
        }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, classNames.ToArray());
        plot.Axes.Left.SetTicks(positions, classNames.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Axes.SquareUnits();
        plot.HideGrid();
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        plot.SavePng(path, width, height);
    }

    /// <summary>
    /// Saves the test error (in %) after each epoch of every run, one line per run, on a log axis (errors fall by
    /// factors); runs trained without a test set are skipped.
    /// </summary>
    /// <param name="path">Output file; its folder is created.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="runs">Each run's name and history.</param>
    public static void SaveTestError(string path, string title, IEnumerable<(string Name, IReadOnlyList<ClassifierEpoch> History)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var series = runs.Where(r => r.History.Count > 0 && r.History.All(e => e.Test is not null))
            .Select(r => new Series(r.Name, r.History.Select(e => (double)e.Epoch).ToArray(), r.History.Select(e => 100 * e.Test!.Error).ToArray()))
            .ToArray();
        Charts.SaveLines(path, title, "epoch", "test error (%)", series, logY: true);
    }
}

