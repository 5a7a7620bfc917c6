using System.Globalization;

namespace AugmentedNode;

/// <summary>Writes results.csv: one row per model and epoch (epoch 0 = untrained).</summary>
public static class ResultsCsv
{
    /// <summary>The header of the file.</summary>
    public const string Header = "model,augmented_dims,epoch,train_loss,loss,accuracy,forward_nfe_mean,evaluation_nfe,epoch_seconds";

    /// <summary>Writes every model's history to <paramref name="path"/>.</summary>
    public static void Write(string path, AugmentedNodeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        string Number(double v) => double.IsNaN(v) ? "" : v.ToString("R", inv);
        var lines = new List<string> { Header };
        foreach (var run in result.Models)
            foreach (var e in run.Epochs)
                lines.Add(string.Join(',', run.Name, run.AugmentedSize.ToString(inv), e.Epoch.ToString(inv), Number(e.TrainLoss), Number(e.Loss),
                    Number(e.Accuracy), Number(e.ForwardNfe), e.EvaluationNfe.ToString(inv), e.Seconds.ToString("0.00", inv)));
        File.WriteAllLines(path, lines);
    }
}
