using System.Globalization;
using NodeDsl.Runtime.Ensembles;
using NodeDsl.Runtime.Plotting;
using Spectre.Console;

namespace AnchoredEnsembles;

/// <summary>The coverage table (console), results.csv and the PNG charts.</summary>
public static class ResultsReport
{
    static string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
    static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One row per (prior variance, ensemble size): coverage of ±2σ per state inside and after the window.</summary>
    public static Table Table(ExperimentResult result, ExperimentOptions options)
    {
        var table = new Table().Title($"% of held-out observations within mean ± 2σ (σ_ε = {options.NoiseSd:0.###}; ideal ≈ 95.4%)")
            .AddColumns("σ²_prior", "M", "interp. x", "interp. y", "extrap. x", "extrap. y",
                "mean σ interp.", "mean σ extrap.", "RMSE interp.", "RMSE extrap.", "train MSE");
        foreach (var r in result.Rows)
            table.AddRow(r.PriorVariance.ToString("0.###", CultureInfo.InvariantCulture), r.Members.ToString(CultureInfo.InvariantCulture),
                P(r.Interpolation.Coverage[0]), P(r.Interpolation.Coverage[1]), P(r.Extrapolation.Coverage[0]), P(r.Extrapolation.Coverage[1]),
                F(r.Interpolation.MeanSd.Average()), F(r.Extrapolation.MeanSd.Average()),
                F(r.Interpolation.Rmse), F(r.Extrapolation.Rmse), r.TrainingMse.ToString("0.000e+00", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>A line per trained ensemble: members, epochs, seconds, final loss and penalty.</summary>
    public static IEnumerable<string> TrainingLines(ExperimentResult result)
        => result.Ensembles.Select(e =>
            $"σ²_prior = {e.PriorVariance:0.###}: {e.Members} members trained as one batched model, {e.History.Count} epochs in {e.Seconds:0.0} s; " +
            $"final mean member MSE {e.History[^1].Loss:0.000e+00}, anchored penalty {e.History[^1].Regularization:0.000e+00}");

    /// <summary>results.csv: one row per (prior variance, size, held-out set, state) plus training rows.</summary>
    public static void WriteCsv(string path, ExperimentResult result)
    {
        var lines = new List<string> { "prior_variance,members,set,state,coverage_2sigma,mean_sigma,rmse_mean_vs_truth" };
        foreach (var r in result.Rows)
            foreach (var (set, score) in new[] { ("interpolation", r.Interpolation), ("extrapolation", r.Extrapolation) })
                for (int s = 0; s < 2; s++)
                    lines.Add($"{R(r.PriorVariance)},{r.Members},{set},{SpiralData.StateNames[s]},{R(score.Coverage[s])},{R(score.MeanSd[s])},{R(score.Rmse)}");
        foreach (var r in result.Rows)
            lines.Add($"{R(r.PriorVariance)},{r.Members},train,both,,,{R(System.Math.Sqrt(r.TrainingMse))}");
        foreach (var e in result.Ensembles)
            lines.Add($"{R(e.PriorVariance)},{e.Members},training_seconds,,,,{e.Seconds.ToString("0.00", CultureInfo.InvariantCulture)}");
        File.WriteAllLines(path, lines);
    }

    /// <summary>bands.png (data, truth, mean ± 2σ per state for one configuration) and loss.png.</summary>
    public static void SaveCharts(string outputDir, ExperimentResult result, ExperimentOptions options)
    {
        double prior = options.PriorVariances.Contains(options.PlottedPriorVariance) ? options.PlottedPriorVariance : options.PriorVariances[0];
        int members = options.EnsembleSizes.Max();
        var dense = result.Dense(prior, members, options.NoiseSd * options.NoiseSd);
        EnsembleCharts.SaveBands(Path.Combine(outputDir, "bands.png"),
            $"Anchored ensemble of {members} neural ODEs (σ²_prior = {prior:0.###}): mean ± 2σ; trained on [0, {options.TrainingEnd:0.#}]",
            SpiralData.StateNames, result.DenseTimes, dense,
            [("training data", result.TrainTimes, result.Train),
             ("held-out (interpolation)", result.InterpolationTimes, result.Interpolation),
             ("held-out (extrapolation)", result.ExtrapolationTimes, result.Extrapolation)],
            SpiralData.Truth(result.DenseTimes), options.TrainingEnd);
        Charts.SaveLines(Path.Combine(outputDir, "loss.png"), "Mean member MSE per epoch (random windows)", "epoch", "MSE",
            result.Ensembles.Select(e => new Series($"σ²_prior = {e.PriorVariance:0.###}",
                e.History.Select(m => (double)m.Epoch + 1).ToArray(), e.History.Select(m => m.Loss).ToArray())), logY: true);
    }
}
