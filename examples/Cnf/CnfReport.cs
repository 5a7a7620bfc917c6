using System.Globalization;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Plotting;
using ScottPlot;

namespace Cnf;

/// <summary>results.csv, densities.png (data, learned density and samples per run), nfe.png and loss.png.</summary>
public static class CnfReport
{
    /// <summary>Header of results.csv.</summary>
    public const string Header = "density,model,test_nll,entropy,forward_nfe_late,backward_nfe_late,evaluation_nfe,train_seconds";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes every file to <see cref="CnfOptions.OutputDirectory"/>.</summary>
    public static void Write(CnfOptions options, IReadOnlyList<FlowRun> runs)
    {
        var dir = options.OutputDirectory;
        File.WriteAllLines(Path.Combine(dir, "results.csv"), runs.Select(r => string.Join(',', ToyData.Name(r.Density), r.Model,
            r.TestNll.ToString("R", Inv), ToyData.Entropy(r.Density)?.ToString("R", Inv) ?? "", r.LateForwardNfe.ToString("0.0", Inv),
            r.LateBackwardNfe.ToString("0.0", Inv), r.EvaluationNfe.ToString(Inv), r.TrainSeconds.ToString("0.0", Inv))).Prepend(Header));
        Charts.SaveLines(Path.Combine(dir, "nfe.png"), "Forward NFE per training step", "step", "NFE",
            runs.Select(r => new Series($"{ToyData.Name(r.Density)} {r.Model}", r.Steps.Select(s => (double)s.Step).ToArray(), r.Steps.Select(s => (double)s.ForwardNfe).ToArray())));
        Charts.SaveLines(Path.Combine(dir, "loss.png"), "Training loss (−log p estimate, plus regularisers where used)", "step", "loss",
            runs.Select(r => new Series($"{ToyData.Name(r.Density)} {r.Model}", r.Steps.Select(s => (double)s.Step).ToArray(), r.Steps.Select(s => s.Loss).ToArray())));
        SaveDensities(Path.Combine(dir, "densities.png"), options, runs);
    }

    /// <summary>One row per density: data samples, then density and samples of each model.</summary>
    static void SaveDensities(string path, CnfOptions options, IReadOnlyList<FlowRun> runs)
    {
        var densities = runs.Select(r => r.Density).Distinct().ToArray();
        int columns = 1 + 2 * runs.Count(r => r.Density == densities[0]);
        var multiplot = new Multiplot();
        multiplot.AddPlots(densities.Length * columns);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: densities.Length, columns: columns);
        for (int d = 0; d < densities.Length; d++)
        {
            var data = ToyData.Sample(densities[d], 2000, new SeededRandom(options.Seed + 2000));
            Scatter(multiplot.GetPlot(d * columns), data, $"{ToyData.Name(densities[d])}: data");
            int c = 1;
            foreach (var run in runs.Where(r => r.Density == densities[d]))
            {
                var heat = multiplot.GetPlot(d * columns + c++);
                var map = heat.Add.Heatmap(run.Grid);
                map.Extent = new CoordinateRect(-CnfExperiment.PlotRange, CnfExperiment.PlotRange, -CnfExperiment.PlotRange, CnfExperiment.PlotRange);
                map.Colormap = new ScottPlot.Colormaps.Viridis();
                heat.Title($"{run.Model}: density (NLL {run.TestNll:0.00})");
                Square(heat);
                Scatter(multiplot.GetPlot(d * columns + c++), run.Samples, $"{run.Model}: samples");
            }
        }
        multiplot.SavePng(path, 320 * columns, 330 * densities.Length);
    }

    static void Scatter(Plot plot, double[] points, string title)
    {
        var xs = Enumerable.Range(0, points.Length / 2).Select(i => points[2 * i]).ToArray();
        var ys = Enumerable.Range(0, points.Length / 2).Select(i => points[2 * i + 1]).ToArray();
        var dots = plot.Add.Scatter(xs, ys, Colors.Black.WithAlpha(0.4));
        (dots.LineWidth, dots.MarkerSize) = (0, 2);
        plot.Title(title);
        Square(plot);
    }

    static void Square(Plot plot)
    {
        plot.Axes.SetLimits(-CnfExperiment.PlotRange, CnfExperiment.PlotRange, -CnfExperiment.PlotRange, CnfExperiment.PlotRange);
        plot.Axes.SquareUnits();
    }
}
