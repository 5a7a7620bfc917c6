namespace NodeDsl.Runtime.Classification;

/// <summary>
/// Counts of (true class, predicted class) pairs and the metrics derived from them: accuracy, per-class precision,
/// recall and F1, and their macro average.
/// </summary>
/// <remarks>
/// Conventions (those of scikit-learn with <c>zero_division = 0</c> for defined-but-empty cases): precision of a class never
/// predicted and recall of a class never present are 0 when the other side has examples; a class that is neither present
/// nor predicted has no defined F1 (NaN) and is left out of <see cref="MacroF1"/>.
/// </remarks>
public sealed class ConfusionMatrix
{
    readonly long[,] counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A confusion matrix needs at least 2 classes.");
        counts = new long[classes, classes];
    }

    /// <summary>The matrix of <paramref name="truth"/> against <paramref name="predicted"/> (equal lengths, labels in [0, classes)).</summary>
    public static ConfusionMatrix From(IReadOnlyList<long> truth, IReadOnlyList<long> predicted, int classes)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions; give one prediction per example.", nameof(predicted));
        var matrix = new ConfusionMatrix(classes);
        for (int i = 0; i < truth.Count; i++) matrix.Add(truth[i], predicted[i]);
        return matrix;
    }

    /// <summary>Number of classes.</summary>
    public int Classes => counts.GetLength(0);

    /// <summary>Examples of class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => counts[truth, predicted];

    /// <summary>All counted examples.</summary>
    public long Total { get; private set; }

    /// <summary>Counts one example.</summary>
    public void Add(long truth, long predicted)
    {
        if (truth < 0 || truth >= Classes) throw new ArgumentOutOfRangeException(nameof(truth), truth, $"Labels must be in [0, {Classes}).");
        if (predicted < 0 || predicted >= Classes) throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"Predictions must be in [0, {Classes}).");
        counts[truth, predicted]++;
        Total++;
    }

    /// <summary>Examples whose true class is <paramref name="c"/> (row sum).</summary>
    public long Support(int c) => Enumerable.Range(0, Classes).Sum(p => counts[c, p]);

    /// <summary>Examples predicted as <paramref name="c"/> (column sum).</summary>
    public long Predicted(int c) => Enumerable.Range(0, Classes).Sum(t => counts[t, c]);

    /// <summary>Fraction of examples on the diagonal; NaN when empty.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Enumerable.Range(0, Classes).Sum(c => counts[c, c]) / Total;

    /// <summary>TP / (TP + FP) of class <paramref name="c"/>: 0 when it is never predicted but present, NaN when neither.</summary>
    public double Precision(int c)
    {
        long predicted = Predicted(c);
        return predicted > 0 ? (double)counts[c, c] / predicted : Support(c) > 0 ? 0 : double.NaN;
    }

    /// <summary>TP / (TP + FN) of class <paramref name="c"/>: 0 when it is predicted but never present, NaN when neither.</summary>
    public double Recall(int c)
    {
        long support = Support(c);
        return support > 0 ? (double)counts[c, c] / support : Predicted(c) > 0 ? 0 : double.NaN;
    }

    /// <summary>F1 = 2·TP / (2·TP + FP + FN) of class <paramref name="c"/> (the harmonic mean of precision and recall); NaN when the class is neither present nor predicted.</summary>
    public double F1(int c)
    {
        long tp = counts[c, c];
        long denominator = Support(c) + Predicted(c);   // = 2·TP + FN + FP
        return denominator == 0 ? double.NaN : 2.0 * tp / denominator;
    }

    /// <summary>Unweighted mean of the defined per-class F1 scores (every class counts equally, however rare).</summary>
    public double MacroF1
    {
        get
        {
            var defined = Enumerable.Range(0, Classes).Select(F1).Where(double.IsFinite).ToArray();
            return defined.Length == 0 ? double.NaN : defined.Average();
        }
    }

    /// <summary>Row <paramref name="truth"/> divided by its support (the fraction of that class predicted as each class); zeros for an empty row.</summary>
    public double[] RowFractions(int truth)
    {
        long support = Support(truth);
        return Enumerable.Range(0, Classes).Select(p => support == 0 ? 0.0 : (double)counts[truth, p] / support).ToArray();
    }
}
