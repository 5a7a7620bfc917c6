using System.Globalization;
using NodeDsl.Runtime.Plotting;
using Spectre.Console;

namespace LotkaVolterraUde;

/// <summary>The experiment's console table, results.csv and PNG charts.</summary>
public static class ResultsReport
{
    static string F(double v) => v.ToString("0.000e+00", CultureInfo.InvariantCulture);
    static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One row per model.</summary>
    public static Table Table(UdeExperimentResult result, UdeExperimentOptions options)
    {
        var table = new Table().AddColumns("model", "initial MSE", "after Adam", "after L-BFGS", "train RMSE vs truth",
            $"extrapolation RMSE ({options.TrainingEnd:0.#}, {options.ExtrapolationEnd:0.#}]]", "extrapolation max |error|", "time [[s]]");
        foreach (var m in new[] { result.Ude, result.Node })
            table.AddRow(m.Name, F(m.InitialLoss), F(m.AdamLoss), F(m.FinalLoss) + (m.LbfgsNote is null ? "" : $" ({Markup.Escape(m.LbfgsNote)})"),
                F(m.TrainingRmse), F(m.ExtrapolationRmse), F(m.ExtrapolationMaxError), m.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        var rec = result.Recovered;
        table.AddRow("UDE + sparse regression", "", "", "", "", F(rec.ExtrapolationRmse), F(rec.ExtrapolationMaxError), "");
        return table;
    }

    /// <summary>The recovered equations, e.g. "x' = 1.3x − 0.89xy".</summary>
    public static string Equations(RecoveredModel rec)
        => $"Recovered: prey' = 1.3x {Terms(rec.PreyCoefficients)}, predator' = −1.8y {Terms(rec.PredatorCoefficients)}";

    static string Terms(double[] c)
        => string.Join(" ", c.Select((v, k) => (v, k)).Where(p => p.v != 0)
            .Select(p => $"{(p.v < 0 ? "−" : "+")} {System.Math.Abs(p.v).ToString("0.000", CultureInfo.InvariantCulture)}{SparseRegression.Library[p.k]}"));

    /// <summary>A sentence on the learned interaction terms.</summary>
    public static string TermsLine(InteractionTerms terms)
        => $"Learned interaction on the training range: max |error| −βxy {F(terms.MaxErrorPrey)}, +γxy {F(terms.MaxErrorPredator)} " +
           $"({terms.RelativeMaxError * 100:0.0}% of the largest term)";

    /// <summary>Writes one metric per row: model, metric, value.</summary>
    public static void WriteCsv(string path, UdeExperimentResult result, UdeExperimentOptions options)
    {
        var lines = new List<string> { "model,metric,value" };
        foreach (var m in new[] { result.Ude, result.Node })
        {
            lines.Add($"{m.Name},initial_mse,{R(m.InitialLoss)}");
            lines.Add($"{m.Name},adam_mse,{R(m.AdamLoss)}");
            lines.Add($"{m.Name},final_mse,{R(m.FinalLoss)}");
            lines.Add($"{m.Name},lbfgs_note,{(m.LbfgsNote ?? "kept").Replace(',', ';')}");
            lines.Add($"{m.Name},train_rmse_vs_truth,{R(m.TrainingRmse)}");
            lines.Add($"{m.Name},extrapolation_rmse_to_t{R(options.ExtrapolationEnd)},{R(m.ExtrapolationRmse)}");
            lines.Add($"{m.Name},extrapolation_max_abs_error,{R(m.ExtrapolationMaxError)}");
            lines.Add($"{m.Name},training_seconds,{m.Seconds.ToString("0.00", CultureInfo.InvariantCulture)}");
        }
        lines.Add($"UDE,term_max_abs_error_prey,{R(result.Terms.MaxErrorPrey)}");
        lines.Add($"UDE,term_max_abs_error_predator,{R(result.Terms.MaxErrorPredator)}");
        lines.Add($"UDE,term_relative_max_error,{R(result.Terms.RelativeMaxError)}");
        for (int k = 0; k < SparseRegression.Library.Length; k++)
        {
            lines.Add($"recovered,prey_coefficient_{SparseRegression.Library[k]},{R(result.Recovered.PreyCoefficients[k])}");
            lines.Add($"recovered,predator_coefficient_{SparseRegression.Library[k]},{R(result.Recovered.PredatorCoefficients[k])}");
        }
        lines.Add($"recovered,extrapolation_rmse_to_t{R(options.ExtrapolationEnd)},{R(result.Recovered.ExtrapolationRmse)}");
        lines.Add($"recovered,extrapolation_max_abs_error,{R(result.Recovered.ExtrapolationMaxError)}");
        File.WriteAllLines(path, lines);
    }

    /// <summary>trajectories.png (data, truth, UDE, NODE to the extrapolation end), interaction.png, loss.png.</summary>
    public static void SaveCharts(string outputDir, UdeExperimentResult result, UdeExperimentOptions options)
    {
        var series = new List<Series>();
        for (int j = 0; j < 2; j++)
        {
            string state = LotkaVolterraData.StateNames[j];
            series.Add(new($"{state} data", result.ObservedTimes, Solutions.Column(result.Observed, j), SeriesStyle.Markers, j));
            series.Add(new($"{state} truth", result.Times, Solutions.Column(result.Truth, j), SeriesStyle.Dashed, j));
            series.Add(new($"{state} UDE", result.Times, Solutions.Column(result.Ude.Prediction, j), SeriesStyle.Line, j));
            series.Add(new($"{state} NODE", result.Times, Solutions.Column(result.Node.Prediction, j), SeriesStyle.Line, j + 2));
            series.Add(new($"{state} UDE + sparse regression", result.Times, Solutions.Column(result.Recovered.Prediction, j), SeriesStyle.Line, j + 4));
        }
        Charts.SaveLines(Path.Combine(outputDir, "trajectories.png"),
            $"Lotka–Volterra: trained on [0, {options.TrainingEnd:0.#}], extrapolated to {options.ExtrapolationEnd:0.#}", "t", "population",
            series.Where(s => s.Y.All(v => double.IsFinite(v) && System.Math.Abs(v) < 100)));   // a blown-up curve would flatten the rest

        var t = result.Terms;
        Charts.SaveLines(Path.Combine(outputDir, "interaction.png"), "UDE: learned vs true interaction terms on the true trajectory", "t", "rate",
        [
            new("−βxy (true)", t.Times, t.TruePrey, SeriesStyle.Dashed, 0),
            new("network output 1", t.Times, t.LearnedPrey, SeriesStyle.Line, 0),
            new("+γxy (true)", t.Times, t.TruePredator, SeriesStyle.Dashed, 1),
            new("network output 2", t.Times, t.LearnedPredator, SeriesStyle.Line, 1),
        ]);

        Charts.SaveLines(Path.Combine(outputDir, "loss.png"), "Training MSE (Adam, then L-BFGS)", "epoch", "MSE",
        [
            new("UDE", result.Ude.History.Select(m => (double)m.Epoch + 1).ToArray(), result.Ude.History.Select(m => m.Loss).ToArray()),
            new("NODE", result.Node.History.Select(m => (double)m.Epoch + 1).ToArray(), result.Node.History.Select(m => m.Loss).ToArray()),
        ], logY: true);
    }
}
