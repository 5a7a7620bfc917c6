using System.Globalization;
using CsvHelper;
using NodeDsl.Runtime.Plotting;
using Spectre.Console;

namespace SolverComparison;

/// <summary>The comparison's console table (the classic study's columns), results.csv and PNG charts.</summary>
public static class ComparisonReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// One row per method (solver, + adjoint), one column group per spacing: training time [min], time/epoch [s],
    /// final MSE, max NFE — the layout of the classic study. A failed configuration shows why in its MSE cell.
    /// </summary>
    public static Table Table(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Method");
        foreach (var spacing in o.Spacings)
        {
            string group = spacing == Spacing.Even ? "Evenly spaced" : "Irregularly spaced";
            table.AddColumn(new TableColumn($"[bold]{group}[/]\nTraining time [[min]]").RightAligned());
            table.AddColumn(new TableColumn("\nTime/Epoch [[s]]").RightAligned());
            table.AddColumn(new TableColumn("\nMSE").RightAligned());
            table.AddColumn(new TableColumn("\nMax NFE").RightAligned());
        }
        foreach (var solver in o.Solvers)
            foreach (var gradient in o.Gradients)
            {
                var cells = new List<string> { Markup.Escape(new Configuration(solver, gradient, Spacing.Even).Method) };
                foreach (var spacing in o.Spacings)
                {
                    var r = result.Find(solver, gradient, spacing);
                    if (r is null) { cells.AddRange(["", "", "", ""]); continue; }
                    cells.Add(r.History.Count == 0 ? "-" : (r.TrainingSeconds / 60).ToString("0.000", Inv));
                    cells.Add(r.History.Count == 0 ? "-" : r.SecondsPerEpoch.ToString("0.000", Inv));
                    cells.Add(r.Failure is not null ? $"[red]diverged (epoch {r.History.Count + 1})[/]"
                        : r.FinalMse is { } m ? m.ToString("0.00e+00", Inv) : "[red]diverged (test)[/]");
                    cells.Add(r.History.Count == 0 ? "-" : r.MaxNfe.ToString(Inv));
                }
                table.AddRow(cells.ToArray());
            }
        return table;
    }

    /// <summary>One line per configuration whose training or a later solve failed, saying where and why.</summary>
    public static IEnumerable<string> FailureNotes(ComparisonResult result)
        => result.Runs.Where(r => r.Failure is not null || r.PredictionFailure is not null || !r.Succeeded)
            .Select(r => $"{r.Configuration}: {r.Failure ?? r.PredictionFailure ?? "non-finite MSE"}" +
                (r.Failure is null ? $" (training completed: loss {r.InitialLoss:0.###e+0} → {r.FinalLoss:0.###e+0})" : ""));

    /// <summary>Writes one row per configuration (long format; empty cells where a value does not exist).</summary>
    public static void WriteCsv(string path, ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new StreamWriter(path);
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = Inv }, leaveOpen: true);
        csv.WriteRecord(["method", "solver", "gradient", "spacing", "training_time_min", "time_per_epoch_s", "mse", "max_nfe",
            "epochs_completed", "initial_loss", "final_loss", "trajectory_mse", "fixed_step", "rtol", "atol", "status"]);
        var o = result.Options;
        foreach (var r in result.Runs)
        {
            var c = r.Configuration;
            bool adaptive = NodeDsl.Runtime.Solvers.ByName(c.Solver).IsAdaptive;
            csv.WriteRecord([
                c.Method, c.Solver, c.Gradient.ToString().ToLowerInvariant(), c.Spacing.ToString().ToLowerInvariant(),
                F(r.TrainingSeconds / 60), F(r.SecondsPerEpoch), r.FinalMse is { } m ? F(m) : "", r.MaxNfe.ToString(Inv),
                r.History.Count.ToString(Inv), F(r.InitialLoss), F(r.FinalLoss), r.TrajectoryMse is { } tm ? F(tm) : "",
                adaptive ? "" : F(o.EffectiveFixedStep), adaptive ? F(o.RelativeTolerance) : "", adaptive ? F(o.AbsoluteTolerance) : "",
                r.Failure ?? r.PredictionFailure ?? (r.Succeeded ? "ok" : "non-finite MSE")]);
        }
        csv.Flush();
    }

    static string F(double v) => double.IsFinite(v) ? v.ToString("R", Inv) : "";

    /// <summary>
    /// time_per_epoch.png and mse.png (bars per method and spacing), loss_even.png / loss_irregular.png (training loss
    /// of every configuration), and fit_&lt;solver&gt;_&lt;spacing&gt;.png (data vs prediction of <paramref name="showcase"/>).
    /// Returns the file names written.
    /// </summary>
    public static IReadOnlyList<string> SaveCharts(string outputDir, ComparisonResult result, Configuration showcase)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(showcase);
        var o = result.Options;
        var files = new List<string>();
        var methods = o.Solvers.SelectMany(s => o.Gradients.Select(g => (Solver: s, Gradient: g))).ToArray();
        var groups = methods.Select(m => new Configuration(m.Solver, m.Gradient, Spacing.Even).Method).ToArray();
        (string, double?[]) Column(Spacing spacing, Func<RunResult, double?> value)
            => (spacing == Spacing.Even ? "evenly spaced" : "irregularly spaced",
                methods.Select(m => result.Find(m.Solver, m.Gradient, spacing) is { } r ? value(r) : null).ToArray());

        BarChart.Save(Path.Combine(outputDir, "time_per_epoch.png"), $"Spiral NODE: time per epoch ({o.Epochs} epochs, batch {o.BatchSize} × {o.WindowPoints} points)",
            "seconds per epoch", groups, o.Spacings.Select(s => Column(s, r => r.History.Count == 0 ? null : r.SecondsPerEpoch)).ToArray());
        files.Add("time_per_epoch.png");
        BarChart.Save(Path.Combine(outputDir, "mse.png"), $"Spiral NODE: test MSE ({o.WindowPoints}-point windows tiling the truth)", "MSE", groups,
            o.Spacings.Select(s => Column(s, r => r.Succeeded ? r.FinalMse : null)).ToArray(), logY: true, missingLabel: "diverged");
        files.Add("mse.png");
        BarChart.Save(Path.Combine(outputDir, "max_nfe.png"), "Spiral NODE: max NFE of one training step (forward + backward)", "NFE", groups,
            o.Spacings.Select(s => Column(s, r => r.History.Count == 0 ? null : r.MaxNfe)).ToArray());
        files.Add("max_nfe.png");

        foreach (var spacing in o.Spacings)
        {
            var curves = result.Runs.Where(r => r.Configuration.Spacing == spacing && r.History.Count > 0)
                .Select(r => new Series(r.Configuration.Method, r.History.Select(m => (double)m.Epoch + 1).ToArray(), r.History.Select(m => m.Loss).ToArray()));
            string name = $"loss_{spacing.ToString().ToLowerInvariant()}.png";
            Charts.SaveLines(Path.Combine(outputDir, name), $"Training MSE per epoch ({spacing.ToString().ToLowerInvariant()} data)", "epoch", "MSE", curves, logY: true);
            files.Add(name);
        }

        if (result.Find(showcase.Solver, showcase.Gradient, showcase.Spacing) is { Prediction: { } prediction } shown)
        {
            var data = result.Data[showcase.Spacing];
            string tag = $"{showcase.Solver}_{showcase.Gradient.ToString().ToLowerInvariant()}_{showcase.Spacing.ToString().ToLowerInvariant()}";
            TrainingCharts.SaveTrajectories(Path.Combine(outputDir, $"fit_{tag}.png"), data.Dataset, 0, data.Times, prediction,
                $"Spiral: data vs {shown.Configuration}, solved from y0 over [0, 25] (MSE {shown.TrajectoryMse:0.00e+00})");
            TrainingCharts.SavePhasePortrait(Path.Combine(outputDir, $"phase_{tag}.png"), data.Dataset, 0, prediction,
                title: $"Spiral phase portrait: data vs {shown.Configuration}");
            files.Add($"fit_{tag}.png");
            files.Add($"phase_{tag}.png");
        }
        return files;
    }
}
