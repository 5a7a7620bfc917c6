using System.Globalization;
using NodeDsl.Runtime.Plotting;
using NodeDsl.Runtime.Sequences;
using ScottPlot;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentOdeSpirals;

/// <summary>
/// Files of the experiment: results.csv (one row per model), history.csv (one row per model and epoch),
/// reconstructions.png, error-over-time.png, loss.png and prior-samples.png.
/// </summary>
public static class LatentOdeReport
{
    /// <summary>Header of results.csv.</summary>
    public const string ResultsHeader = "model,parameters,interpolation_mse,extrapolation_mse,interpolation_rmse,extrapolation_rmse,test_negative_elbo,final_forward_nfe,train_seconds";
    /// <summary>Header of history.csv.</summary>
    public const string HistoryHeader = "model,epoch,negative_elbo,kl,forward_nfe,seconds";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes every file of the run to <see cref="LatentOdeOptions.OutputDirectory"/>.</summary>
    public static void Write(LatentOdeOptions options, SpiralSet spirals, int[] test, LatentOdeResult result, LatentOdeModel latentOde,
        RnnVae rnn, ScalarType dtype, Device device)
    {
        var dir = options.OutputDirectory;
        var models = new[] { result.LatentOde, result.Rnn };
        File.WriteAllLines(Path.Combine(dir, "results.csv"), models.Select(m => string.Join(',', m.Name, m.Parameters.ToString(Inv),
            R(m.InterpolationMse), R(m.ExtrapolationMse), R(Math.Sqrt(m.InterpolationMse)), R(Math.Sqrt(m.ExtrapolationMse)),
            R(m.TestNegativeElbo), R(m.Epochs[^1].ForwardNfe), m.TrainSeconds.ToString("0.0", Inv))).Prepend(ResultsHeader));
        File.WriteAllLines(Path.Combine(dir, "history.csv"), models.SelectMany(m => m.Epochs.Select(e => string.Join(',', m.Name,
            e.Epoch.ToString(Inv), R(e.NegativeElbo), R(e.Kl), R(e.ForwardNfe), e.Seconds.ToString("0.00", Inv)))).Prepend(HistoryHeader));

        Charts.SaveLines(Path.Combine(dir, "loss.png"), "Training: negative ELBO per trajectory", "epoch", "−ELBO",
            models.Select(m => new Series(m.Name, m.Epochs.Select(e => (double)e.Epoch).ToArray(), m.Epochs.Select(e => e.NegativeElbo).ToArray())));

        var plotted = test.Take(options.PlottedTrajectories).ToArray();
        using var batch = IrregularBatch.Build(spirals.Observed, plotted, 0.0, dtype, device);
        var odePrediction = LatentOdeExperiment.Predict(latentOde, batch, spirals.SampleTimes, dtype, device);
        var rnnPrediction = LatentOdeExperiment.Predict(rnn, batch, spirals.SampleTimes, dtype, device);
        SaveReconstructions(Path.Combine(dir, "reconstructions.png"), spirals, plotted, odePrediction, rnnPrediction);
        SaveErrorOverTime(Path.Combine(dir, "error-over-time.png"), options, spirals, test, latentOde, rnn, dtype, device);
        SavePriorSamples(Path.Combine(dir, "prior-samples.png"), latentOde.Model, spirals.SampleTimes, options.Seed, dtype, device);
    }

    static string R(double v) => v.ToString("R", Inv);

    /// <summary>One panel per test trajectory: truth, noisy observations, both models' reconstruction and extrapolation.</summary>
    static void SaveReconstructions(string path, SpiralSet spirals, int[] rows, double[][,] ode, double[][,] rnn)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(rows.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: (rows.Length + 1) / 2, columns: Math.Min(2, rows.Length));
        int window = SpiralData.WindowPoints;
        var palette = new ScottPlot.Palettes.Category10();
        for (int p = 0; p < rows.Length; p++)
        {
            var plot = multiplot.GetPlot(p);
            var truth = spirals.Truth[rows[p]];
            Line(plot, Column(truth, 0, 0, 2 * window), Column(truth, 1, 0, 2 * window), Colors.Gray, "truth", LinePattern.Dashed);
            var observed = spirals.Observed.Trajectories[rows[p]];
            var dots = plot.Add.Scatter(Column(observed.Values, 0, 0, observed.Length), Column(observed.Values, 1, 0, observed.Length), Colors.Black);
            (dots.LineWidth, dots.MarkerSize, dots.LegendText) = (0, 5, "observed (noisy)");
            foreach (var (prediction, name, color) in new[] { (ode[p], "latent ODE", palette.GetColor(0)), (rnn[p], "RNN", palette.GetColor(1)) })
            {
                Line(plot, Column(prediction, 0, 0, window), Column(prediction, 1, 0, window), color, name + ": reconstruction", LinePattern.Solid);
                Line(plot, Column(prediction, 0, window - 1, window + 1), Column(prediction, 1, window - 1, window + 1), color, name + ": extrapolation", LinePattern.Dotted);
            }
            plot.Title($"test spiral {rows[p]} ({(spirals.Clockwise[rows[p]] ? "clockwise" : "counter-clockwise")})");
            plot.XLabel("x");
            plot.YLabel("y");
            plot.Axes.SquareUnits();
            if (p == 0) plot.ShowLegend(Edge.Right);
            else plot.HideLegend();
        }
        multiplot.SavePng(path, 1200, 520 * ((rows.Length + 1) / 2));
    }

    static void Line(Plot plot, double[] x, double[] y, Color color, string label, LinePattern pattern)
    {
        var line = plot.Add.Scatter(x, y, color);
        (line.MarkerSize, line.LineWidth, line.LinePattern, line.LegendText) = (0, 2, pattern, label);
    }

    static double[] Column(double[,] values, int column, int start, int count)
        => Enumerable.Range(start, count).Select(k => values[k, column]).ToArray();

    /// <summary>Squared error averaged over test trajectories and both components, against the sample time.</summary>
    static void SaveErrorOverTime(string path, LatentOdeOptions options, SpiralSet spirals, int[] test, ISequenceModel ode, ISequenceModel rnn,
        ScalarType dtype, Device device)
    {
        using var batch = IrregularBatch.Build(spirals.Observed, test, 0.0, dtype, device);
        var series = new List<Series>();
        foreach (var model in new[] { ode, rnn })
        {
            var prediction = LatentOdeExperiment.Predict(model, batch, spirals.SampleTimes, dtype, device);
            var error = spirals.SampleTimes.Select((_, k) => test.Select((row, i) =>
                0.5 * (Math.Pow(prediction[i][k, 0] - spirals.Truth[row][k, 0], 2) + Math.Pow(prediction[i][k, 1] - spirals.Truth[row][k, 1], 2))).Average()).ToArray();
            series.Add(new Series(model.Name, spirals.SampleTimes, error));
        }
        double end = spirals.SampleTimes[SpiralData.WindowPoints - 1];
        series.Add(new Series("end of observation window", [end, end], [series.Min(s => s.Y.Min()), series.Max(s => s.Y.Max())], SeriesStyle.Dashed, 7));
        Charts.SaveLines(path, $"Test MSE against time ({test.Length} spirals, {options.Observed} observations each)", "time since the first sample", "MSE", series, logY: true);
    }

    /// <summary>Trajectories decoded from z₀ ~ N(0, I): what the generative model has learned.</summary>
    static void SavePriorSamples(string path, LatentOde model, double[] times, long seed, ScalarType dtype, Device device)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)(seed + 303)), device);
        var samples = model.SampleFromPrior(8, tensor(times, ScalarType.Float64).to(dtype, device), generator).to(ScalarType.Float64, CPU);
        var host = samples.contiguous().data<double>().ToArray();
        int n = (int)samples.shape[1];
        var series = Enumerable.Range(0, n).Select(r => new Series($"z₀ sample {r + 1}",
            Enumerable.Range(0, times.Length).Select(k => host[(k * n + r) * 2]).ToArray(),
            Enumerable.Range(0, times.Length).Select(k => host[(k * n + r) * 2 + 1]).ToArray()));
        Charts.SaveLines(path, "Latent ODE: trajectories decoded from the prior N(0, I)", "x", "y", series, equalAxes: true);
    }
}
