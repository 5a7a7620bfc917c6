using System.Globalization;
using NodeDsl.Runtime.Plotting;
using Spectre.Console;

namespace EcgHeartbeats;

/// <summary>The comparison's console table, results.csv and PNG charts.</summary>
public static class EcgReport
{
    static string F3(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    /// <summary>One row per network: accuracy, macro F1, per-class F1, parameters, NFE and time.</summary>
    public static Table Table(EcgResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new Table().AddColumns(["network", "accuracy", "macro F1", .. BeatClasses.Names.Select(n => $"F1 {n}"),
            "params", "NFE / batch (fwd + bwd)", "s / epoch"]);
        foreach (var r in result.Runs)
        {
            var m = r.Test.Confusion;
            table.AddRow([r.Name, F3(m.Accuracy), F3(m.MacroF1), .. Enumerable.Range(0, m.Classes).Select(c => F3(m.F1(c))),
                r.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{r.Last.ForwardNfePerBatch:0.0} + {r.Last.BackwardNfePerBatch:0.0}"),
                r.SecondsPerEpoch.ToString("0.0", CultureInfo.InvariantCulture)]);
        }
        return table;
    }

    /// <summary>Where the beats came from, with the synthetic-data notice.</summary>
    public static string DataLine(EcgResult result)
        => (result.IsSynthetic
               ? "SYNTHETIC beats from McSharry et al.'s ECGSYN model (not MIT-BIH; pass --mitbih DIR to use the real set): "
               : $"Beats from {result.Source}: ") +
           $"train {Counts(result.TrainCounts)}; test {Counts(result.TestCounts)}.";

    static string Counts(int[] counts) => string.Join(", ", counts.Select((n, c) => $"{BeatClasses.Names[c]} {n}"));

    /// <summary>Writes <c>network,metric,value</c> rows: the data's class counts, then per network its parameters and <see cref="ClassificationCsv.Rows"/>.</summary>
    public static void WriteCsv(string path, EcgResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string> { "network,metric,value", $"data,source,{result.Source.Replace(',', ';')}" };
        for (int c = 0; c < result.TrainCounts.Length; c++)
        {
            lines.Add($"data,train_{BeatClasses.Names[c]},{result.TrainCounts[c]}");
            lines.Add($"data,test_{BeatClasses.Names[c]},{result.TestCounts[c]}");
        }
        foreach (var r in result.Runs)
        {
            lines.Add($"{r.Name},parameters,{r.Parameters}");
            lines.AddRange(ClassificationCsv.Rows(r.Name, r.Test, r.History, BeatClasses.Names));
        }
        ClassificationCsv.Write(path, lines);
    }

    /// <summary>beats.png (one test beat per class), test-error.png, confusion-resnet.png and confusion-odenet.png.</summary>
    public static void SaveCharts(string outputDir, EcgResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string data = result.IsSynthetic ? "synthetic beats" : "MIT-BIH";
        var beats = result.Examples.Select((beat, c) => (beat, c)).Where(p => p.beat is not null)
            .Select(p => new Series(BeatClasses.Names[p.c], Enumerable.Range(0, p.beat!.Length).Select(k => k / 125.0).ToArray(),
                p.beat!.Select(v => (double)v).ToArray()));
        Charts.SaveLines(Path.Combine(outputDir, "beats.png"), $"One test beat per class ({data}, 125 Hz, from the R peak)", "time (s)", "scaled ECG", beats);
        ClassificationCharts.SaveTestError(Path.Combine(outputDir, "test-error.png"), $"Test error per epoch ({data})",
            result.Runs.Select(r => (r.Name, r.History)));
        foreach (var r in result.Runs)
            ClassificationCharts.SaveConfusionMatrix(Path.Combine(outputDir, $"confusion-{r.Name.Replace("-", "").ToLowerInvariant()}.png"),
                $"{r.Name} on {data}: accuracy {F3(r.Test.Accuracy)}, macro F1 {F3(r.Test.Confusion.MacroF1)}", r.Test.Confusion, BeatClasses.Names);
    }
}
