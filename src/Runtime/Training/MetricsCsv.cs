using System.Globalization;

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
        // Every field is a number or blank, so no field needs quoting: plain joined lines are valid CSV (RFC 4180).
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', Header));
        foreach (var m in history)
            writer.WriteLine(string.Join(',',
                m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Loss), m.ValidationLoss is { } v ? F(v) : "", F(m.Regularization),
                F(m.LearningRate), m.ForwardEvaluations.ToString(CultureInfo.InvariantCulture),
                m.BackwardEvaluations?.ToString(CultureInfo.InvariantCulture) ?? "", F(m.Seconds)));
    }

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
