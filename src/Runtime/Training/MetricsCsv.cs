using System.Globalization;
using CsvHelper;

namespace NodeDsl.Runtime.Training;

/// <summary>Writes epoch metrics as CSV (header <c>epoch,loss,validation_loss,regularization,learning_rate,nfe_forward,nfe_backward,seconds</c>).</summary>
public static class MetricsCsv
{
    static readonly string[] Header = ["epoch", "loss", "validation_loss", "regularization", "learning_rate", "nfe_forward", "nfe_backward", "seconds"];

    /// <summary>Writes the whole history, replacing the file (the folder is created).</summary>
    public static void Write(string path, IEnumerable<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var writer = new StreamWriter(path);
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        csv.WriteRecord(Header);
        foreach (var m in history)
            csv.WriteRecord([
                m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Loss), m.ValidationLoss is { } v ? F(v) : "", F(m.Regularization),
                F(m.LearningRate), m.ForwardEvaluations.ToString(CultureInfo.InvariantCulture),
                m.BackwardEvaluations?.ToString(CultureInfo.InvariantCulture) ?? "", F(m.Seconds)]);
        csv.Flush();
    }

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
