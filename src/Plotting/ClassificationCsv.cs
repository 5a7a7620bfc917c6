using System.Globalization;
using NodeDsl.Runtime.Classification;

namespace NodeDsl.Runtime.Plotting;

/// <summary>Rows <c>network,metric,value</c> describing a trained classifier, for an example's results.csv.</summary>
public static class ClassificationCsv
{
    static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The test metrics (accuracy, error, macro F1, F1 per class as <c>f1_NAME</c>), the NFE per batch of the last epoch
    /// (train forward, train backward, test), seconds per epoch, and per-epoch <c>epoch:k:train_loss</c> /
    /// <c>epoch:k:test_accuracy</c> rows of <paramref name="history"/>.
    /// </summary>
    /// <param name="network">First column of every row (no commas).</param>
    /// <param name="test">The final evaluation on the test set.</param>
    /// <param name="history">The training history (at least one epoch).</param>
    /// <param name="classNames">Names of the classes, for the F1 rows.</param>
    public static IEnumerable<string> Rows(string network, ClassifierEvaluation test, IReadOnlyList<ClassifierEpoch> history, IReadOnlyList<string> classNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(network);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(classNames);
        if (history.Count == 0) throw new ArgumentException("The history is empty; train for at least one epoch.", nameof(history));
        var m = test.Confusion;
        yield return $"{network},test_accuracy,{R(m.Accuracy)}";
        yield return $"{network},test_error,{R(1 - m.Accuracy)}";
        yield return $"{network},test_macro_f1,{R(m.MacroF1)}";
        for (int c = 0; c < m.Classes; c++) yield return $"{network},f1_{classNames[c]},{R(m.F1(c))}";
        var last = history[^1];
        yield return $"{network},train_forward_nfe_per_batch,{R(last.ForwardNfePerBatch)}";
        yield return $"{network},train_backward_nfe_per_batch,{R(last.BackwardNfePerBatch)}";
        yield return $"{network},test_nfe_per_batch,{R(test.ForwardNfePerBatch)}";
        yield return $"{network},seconds_per_epoch,{R(history.Average(e => e.Seconds))}";
        foreach (var e in history)
        {
            yield return $"{network},epoch:{e.Epoch}:train_loss,{R(e.TrainLoss)}";
            if (e.Test is { } t) yield return $"{network},epoch:{e.Epoch}:test_accuracy,{R(t.Accuracy)}";
        }
    }

    /// <summary>Writes <paramref name="lines"/> to <paramref name="path"/>, creating its folder first.</summary>
    /// <param name="path">The CSV file; its folder is created if missing.</param>
    /// <param name="lines">The header and rows.</param>
    public static void Write(string path, IEnumerable<string> lines)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(lines);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllLines(path, lines);
    }
}
