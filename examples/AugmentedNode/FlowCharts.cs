using NodeDsl.Runtime.Plotting;
using ScottPlot;

namespace AugmentedNode;

/// <summary>PNGs of the experiment: learned flows, final features, and loss / NFE / accuracy against the epoch.</summary>
public static class FlowCharts
{
    /// <summary>What one model's panels show.</summary>
    /// <param name="Name">Panel title.</param>
    /// <param name="Trajectories">z(t) per plotted point: <c>[point][time][d + p]</c>, t from 0 to 1.</param>
    /// <param name="Labels">±1 per plotted point.</param>
    /// <param name="Weight">Read-out weight w (length d + p).</param>
    /// <param name="Bias">Read-out bias b.</param>
    public sealed record Panel(string Name, double[][][] Trajectories, double[] Labels, double[] Weight, double Bias);

    static readonly Color Inner = Colors.Blue, Outer = Colors.OrangeRed;

    /// <summary>Trajectories in the input plane (x₁, x₂) from t = 0 to 1 (dot at t = 1), coloured by label, one panel per model.</summary>
    public static void SaveTrajectories(string path, IReadOnlyList<Panel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        Save(path, panels, (plot, panel) =>
        {
            bool[] named = new bool[2];
            for (int i = 0; i < panel.Trajectories.Length; i++)
            {
                var path2 = panel.Trajectories[i];
                int cls = panel.Labels[i] < 0 ? 0 : 1;
                var line = plot.Add.Scatter(path2.Select(z => z[0]).ToArray(), path2.Select(z => z[1]).ToArray(), cls == 0 ? Inner : Outer);
                line.MarkerSize = 0;
                line.LineWidth = 1;
                var end = plot.Add.Marker(path2[^1][0], path2[^1][1], MarkerShape.FilledCircle, 5, cls == 0 ? Inner : Outer);
                if (!named[cls]) { line.LegendText = cls == 0 ? "‖x‖ ≤ 0.5 (−1)" : "1 ≤ ‖x‖ ≤ 1.5 (+1)"; named[cls] = true; }
                _ = end;
            }
            plot.Title($"{panel.Name}: flow of x(t), t = 0 → 1");
            plot.XLabel("x₁");
            plot.YLabel("x₂");
            plot.Axes.SquareUnits();
        });
    }

    /// <summary>
    /// Final features z(1): horizontal axis the read-out direction w/‖w‖ (so the decision boundary w·z + b = 0 is the
    /// dashed vertical line), vertical axis the direction orthogonal to w along which the features vary most.
    /// </summary>
    public static void SaveFeatures(string path, IReadOnlyList<Panel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        Save(path, panels, (plot, panel) =>
        {
            var features = panel.Trajectories.Select(t => t[^1]).ToArray();
            double norm = System.Math.Sqrt(panel.Weight.Sum(w => w * w));
            var u = panel.Weight.Select(w => w / norm).ToArray();
            var along = features.Select(z => Dot(z, u)).ToArray();
            var v = LargestOrthogonalVariance(features, u);
            var across = features.Select(z => Dot(z, v)).ToArray();
            for (int cls = 0; cls < 2; cls++)
            {
                var idx = Enumerable.Range(0, features.Length).Where(i => (panel.Labels[i] < 0) == (cls == 0)).ToArray();
                var points = plot.Add.Scatter(idx.Select(i => along[i]).ToArray(), idx.Select(i => across[i]).ToArray(), cls == 0 ? Inner : Outer);
                points.LineWidth = 0;
                points.MarkerSize = 6;
                points.LegendText = cls == 0 ? "label −1" : "label +1";
            }
            var boundary = plot.Add.VerticalLine(-panel.Bias / norm, 1.5f, Colors.Black, LinePattern.Dashed);
            boundary.LegendText = "w·z + b = 0";
            plot.Title($"{panel.Name}: features z(1)");
            plot.XLabel("z·w/‖w‖ (read-out direction)");
            plot.YLabel("z·v (v ⊥ w, largest variance)");
        });
    }

    /// <summary>loss.png (whole-set Huber loss, log scale), nfe.png (mean forward NFE per batch), accuracy.png.</summary>
    public static void SaveCurves(string dir, AugmentedNodeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Series Curve(ModelRun run, Func<EpochRecord, double> value, bool skipFirst) =>
            new(run.Name, run.Epochs.Skip(skipFirst ? 1 : 0).Select(e => (double)e.Epoch).ToArray(),
                run.Epochs.Skip(skipFirst ? 1 : 0).Select(value).ToArray());
        Charts.SaveLines(Path.Combine(dir, "loss.png"), "Huber loss on the training set", "epoch", "loss",
            result.Models.Select(r => Curve(r, e => e.Loss, false)), logY: true);
        Charts.SaveLines(Path.Combine(dir, "nfe.png"), "Forward NFE per batch (mean over the epoch)", "epoch", "NFE",
            result.Models.Select(r => Curve(r, e => e.ForwardNfe, true)));
        Charts.SaveLines(Path.Combine(dir, "accuracy.png"), "Accuracy on the training set", "epoch", "accuracy",
            result.Models.Select(r => Curve(r, e => e.Accuracy, false)));
    }

    static void Save(string path, IReadOnlyList<Panel> panels, Action<Plot, Panel> draw)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (int i = 0; i < panels.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            draw(plot, panels[i]);
            plot.ShowLegend(Edge.Right);   // outside the data area: never over a flow or a band
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        multiplot.SavePng(path, 560 * panels.Count, 560);
    }

    static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>
    /// Unit vector orthogonal to <paramref name="u"/> of largest sample variance of <paramref name="points"/> (power iteration on the
    /// covariance of the residuals z − (z·u)u; the space is at most 7-D).
    /// </summary>
    static double[] LargestOrthogonalVariance(double[][] points, double[] u)
    {
        int n = u.Length;
        var residuals = points.Select(z => { double s = Dot(z, u); return z.Select((c, k) => c - s * u[k]).ToArray(); }).ToArray();
        var mean = Enumerable.Range(0, n).Select(k => residuals.Average(r => r[k])).ToArray();
        var cov = new double[n, n];
        foreach (var r in residuals)
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++) cov[a, b] += (r[a] - mean[a]) * (r[b] - mean[b]);
        // Start from a fixed vector ⟂ u (the axis with the smallest |u_k|), so the result is deterministic.
        int axis = Enumerable.Range(0, n).MinBy(k => System.Math.Abs(u[k]));
        var v = new double[n];
        v[axis] = 1;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double along = Dot(v, u);
            for (int k = 0; k < n; k++) v[k] -= along * u[k];
            double length = System.Math.Sqrt(Dot(v, v));
            if (length < 1e-12) break;
            for (int k = 0; k < n; k++) v[k] /= length;
            var next = new double[n];
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++) next[a] += cov[a, b] * v[b];
            // Degenerate (no variance ⟂ u): keep the current unit vector.
            if (Dot(next, next) < 1e-24) break;
            v = next;
        }
        double along2 = Dot(v, u);
        for (int k = 0; k < n; k++) v[k] -= along2 * u[k];
        double len = System.Math.Sqrt(Dot(v, v));
        return len < 1e-12 ? v : v.Select(c => c / len).ToArray();
    }
}
