using System.Globalization;
using NodeDsl.Runtime.Plotting;
using Spectre.Console;

namespace OdeNetImages;

/// <summary>The comparison's console table, results.csv and PNG charts.</summary>
public static class ImageReport
{
    static string Percent(double v) => (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + "%";
    static string Mb(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB" : "n/a";
    static string Params(long n) => (n / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " M";
    static string Nfe(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>One row per network, in the layout of Chen et al.'s Table 1 plus NFE and time.</summary>
    public static Table Table(ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new Table().AddColumns("network", "gradient", "test error", "params", "backward memory / batch",
            "NFE fwd / batch (train)", "NFE bwd / batch (train)", "NFE / batch (test)", "s / epoch");
        foreach (var r in result.Runs)
            table.AddRow(r.Name, r.Gradient, Percent(r.Test.Error), Params(r.Parameters), Mb(r.GraphBytes),
                Nfe(r.Last.ForwardNfePerBatch), Nfe(r.Last.BackwardNfePerBatch), Nfe(r.Test.ForwardNfePerBatch),
                r.SecondsPerEpoch.ToString("0.0", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>Where the data came from and how much was used.</summary>
    public static string DataLine(ImageResult result)
        => $"Fashion-MNIST from {result.DataDirectory}{(result.IsSample ? " (the bundled 500 + 200 image sample; install dataset-fashion-mnist for the full set)" : "")}: " +
           $"{result.TrainCount} training and {result.TestCount} test images.";

    /// <summary>Writes <c>network,metric,value</c> rows (<see cref="ClassificationCsv.Rows"/> plus gradient, parameters and memory).</summary>
    public static void WriteCsv(string path, ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string> { "network,metric,value", $"data,train_images,{result.TrainCount}", $"data,test_images,{result.TestCount}",
            $"data,sample_only,{(result.IsSample ? "true" : "false")}" };
        foreach (var r in result.Runs)
        {
            lines.Add($"{r.Name},gradient,{r.Gradient}");
            lines.Add($"{r.Name},parameters,{r.Parameters}");
            lines.Add($"{r.Name},backward_memory_bytes_per_batch,{(r.GraphBytes is { } b ? b.ToString(CultureInfo.InvariantCulture) : "")}");
            lines.AddRange(ClassificationCsv.Rows(r.Name, r.Test, r.History, result.ClassNames.Select(n => n.Replace(' ', '_').Replace('/', '_')).ToArray()));
        }
        ClassificationCsv.Write(path, lines);
    }

    /// <summary>test-error.png (per epoch, every network) and confusion-odenet.png.</summary>
    public static void SaveCharts(string outputDir, ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ClassificationCharts.SaveTestError(Path.Combine(outputDir, "test-error.png"), $"Fashion-MNIST, {result.TrainCount} training images",
            result.Runs.Select(r => (r.Name, r.History)));
        var ode = result.Runs[^1];
        ClassificationCharts.SaveConfusionMatrix(Path.Combine(outputDir, "confusion-odenet.png"),
            $"{ode.Name} on {result.TestCount} test images: error {Percent(ode.Test.Error)}", ode.Test.Confusion, result.ClassNames, 1000, 900);
    }
}
