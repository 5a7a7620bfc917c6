using System.Globalization;
using NodeDsl.Runtime.Plotting;
using Spectre.Console;

namespace ParametrizedSurrogate;

/// <summary>The experiment's console table, results.csv and PNG charts.</summary>
public static class ResultsReport
{
    static string F(double v) => v.ToString("0.000e+00", CultureInfo.InvariantCulture);
    static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    static string Mu(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    static string Name(CaseKind kind) => kind switch
    {
        CaseKind.Training => "training",
        CaseKind.Interpolation => "interpolation",
        _ => "out of range",
    };

    /// <summary>One row per viscosity: relative L2 errors on the training window and beyond it.</summary>
    public static Table Table(SurrogateResult result, SurrogateOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var table = new Table().AddColumns("μ", "set", $"rel. L2 on [[0, {options.TrainingEnd:0.##}]]", $"rel. L2 on ({options.TrainingEnd:0.##}, {options.EndTime:0.##}]]");
        foreach (var c in result.Cases) table.AddRow(Mu(c.Viscosity), Name(c.Kind), F(c.FitError), F(c.ExtrapolationError));
        return table;
    }

    /// <summary>The three headline errors and the loss.</summary>
    public static string Summary(SurrogateResult result, SurrogateOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        return $"Training MSE {F(result.InitialLoss)} → {F(result.FinalLoss)} in {result.TrainingSeconds:0.0} s. Mean relative L2 error: " +
            $"training μ on [0, {options.TrainingEnd:0.##}] {F(result.TrainingFitError)}; (a) interpolation in μ {F(result.InterpolationError)}; " +
            $"(b) time extrapolation to {options.EndTime:0.##} {F(result.TimeExtrapolationError)}; (c) μ outside [{Mu(options.TrainingViscosities.Min())}, " +
            $"{Mu(options.TrainingViscosities.Max())}] {F(result.OutOfRangeError)}.";
    }

    /// <summary>Writes <c>scope,metric,value</c> rows: one scope per viscosity plus a summary.</summary>
    public static void WriteCsv(string path, SurrogateResult result, SurrogateOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var lines = new List<string> { "scope,metric,value" };
        string window = $"0_{R(options.TrainingEnd)}", beyond = $"{R(options.TrainingEnd)}_{R(options.EndTime)}";
        foreach (var c in result.Cases)
        {
            string scope = $"mu={R(c.Viscosity)}";
            lines.Add($"{scope},set,{Name(c.Kind)}");
            lines.Add($"{scope},rel_l2_t{window},{R(c.FitError)}");
            lines.Add($"{scope},rel_l2_t{beyond},{R(c.ExtrapolationError)}");
        }
        lines.Add($"summary,training_fit_rel_l2,{R(result.TrainingFitError)}");
        lines.Add($"summary,interpolation_in_mu_rel_l2,{R(result.InterpolationError)}");
        lines.Add($"summary,time_extrapolation_rel_l2,{R(result.TimeExtrapolationError)}");
        lines.Add($"summary,out_of_range_mu_rel_l2,{R(result.OutOfRangeError)}");
        lines.Add($"summary,initial_mse,{R(result.InitialLoss)}");
        lines.Add($"summary,final_mse,{R(result.FinalLoss)}");
        lines.Add($"summary,epochs,{result.History.Count}");
        lines.Add($"summary,training_seconds,{result.TrainingSeconds.ToString("0.00", CultureInfo.InvariantCulture)}");
        File.WriteAllLines(path, lines);
    }

    /// <summary>heatmap-in-range.png, heatmap-out-of-range.png, error-vs-time.png and loss.png.</summary>
    public static void SaveCharts(string outputDir, SurrogateResult result, SurrogateOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var inRange = result.Cases.Where(c => c.Kind == CaseKind.Interpolation).DefaultIfEmpty(result.Cases[0])
            .MinBy(c => System.Math.Abs(c.Viscosity - options.TrainingViscosities.Average()))!;
        SpaceTimeHeatmaps.Save(Path.Combine(outputDir, "heatmap-in-range.png"), $"μ = {Mu(inRange.Viscosity)} ({Name(inRange.Kind)})",
            result.Grid, result.Times, inRange.Truth, inRange.Prediction, options.TrainingEnd);
        // The out-of-range viscosity the surrogate gets most wrong.
        if (result.Cases.Where(c => c.Kind == CaseKind.OutOfRange).MaxBy(c => c.FitError) is { } outside)
            SpaceTimeHeatmaps.Save(Path.Combine(outputDir, "heatmap-out-of-range.png"), $"μ = {Mu(outside.Viscosity)} (out of range)",
                result.Grid, result.Times, outside.Truth, outside.Prediction, options.TrainingEnd);

        var colors = new Dictionary<CaseKind, int> { [CaseKind.Training] = 0, [CaseKind.Interpolation] = 2, [CaseKind.OutOfRange] = 3 };
        Charts.SaveLines(Path.Combine(outputDir, "error-vs-time.png"),
            $"Relative L2 error over the grid (trained on t ≤ {options.TrainingEnd:0.##}; blue training μ, green interpolation, red out of range)",
            "t", "relative L2 error",
            result.Cases.Select(c => new Series($"μ = {Mu(c.Viscosity)} ({Name(c.Kind)})", result.Times[1..], c.ErrorByTime[1..],
                c.Kind == CaseKind.OutOfRange ? SeriesStyle.Dashed : SeriesStyle.Line, colors[c.Kind]))
                .Where(s => s.Y.All(double.IsFinite)),
            logY: true, width: 1100);
        Charts.SaveLines(Path.Combine(outputDir, "loss.png"), "Training MSE (all training μ, whole trajectories on [0, T_train])", "epoch", "MSE",
            [new("training loss", result.History.Select(m => (double)m.Epoch + 1).ToArray(), result.History.Select(m => m.Loss).ToArray())],
            logY: true);
    }
}
