using NodeDsl.Runtime.Classification;

namespace NodeDsl.Runtime.Tests.Classification;

/// <summary>Accuracy, precision, recall and F1 against values computed by hand (scikit-learn's definitions).</summary>
public sealed class ConfusionMatrixTests
{
    // Truth and predictions of 10 examples, 3 classes:
    //            predicted 0  1  2
    // true 0               3  1  0     support 4
    // true 1               1  2  1     support 4
    // true 2               0  0  2     support 2
    static readonly long[] Truth = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2];
    static readonly long[] Predicted = [0, 0, 0, 1, 0, 1, 1, 2, 2, 2];

    [Fact]
    public void CountsAndMetricsMatchTheHandComputedTable()
    {
        var m = ConfusionMatrix.From(Truth, Predicted, 3);
        Assert.Equal(10, m.Total);
        Assert.Equal(3, m[0, 0]);
        Assert.Equal(1, m[0, 1]);
        Assert.Equal(1, m[1, 2]);
        Assert.Equal(0, m[2, 0]);
        Assert.Equal([4L, 4L, 2L], Enumerable.Range(0, 3).Select(m.Support));
        Assert.Equal([4L, 3L, 3L], Enumerable.Range(0, 3).Select(m.Predicted));
        // Exact rationals; 1e-15 allows one rounding of each division.
        Assert.Equal(7.0 / 10, m.Accuracy, 1e-15);
        Assert.Equal(3.0 / 4, m.Precision(0), 1e-15);
        Assert.Equal(2.0 / 3, m.Precision(1), 1e-15);
        Assert.Equal(2.0 / 3, m.Precision(2), 1e-15);
        Assert.Equal(3.0 / 4, m.Recall(0), 1e-15);
        Assert.Equal(2.0 / 4, m.Recall(1), 1e-15);
        Assert.Equal(1.0, m.Recall(2), 1e-15);
        // F1 = 2PR/(P+R): class 0: 0.75; class 1: 2·(2/3)(1/2)/(7/6) = 4/7; class 2: 2·(2/3)·1/(5/3) = 4/5.
        Assert.Equal(0.75, m.F1(0), 1e-15);
        Assert.Equal(4.0 / 7, m.F1(1), 1e-15);
        Assert.Equal(0.8, m.F1(2), 1e-15);
        Assert.Equal((0.75 + 4.0 / 7 + 0.8) / 3, m.MacroF1, 1e-15);
        Assert.Equal([1.0 / 4, 2.0 / 4, 1.0 / 4], m.RowFractions(1));
    }

    [Fact]
    public void ClassesNeverPredictedOrAbsentFollowTheZeroDivisionConvention()
    {
        // Class 2 is present but never predicted (precision 0, F1 0); class 3 is neither (F1 undefined, left out of the macro mean).
        var m = ConfusionMatrix.From([0, 1, 2], [0, 1, 1], 4);
        Assert.Equal(0, m.Precision(2));
        Assert.Equal(0, m.F1(2));
        Assert.True(double.IsNaN(m.F1(3)));
        Assert.True(double.IsNaN(m.Precision(3)));
        // F1: class 0 = 1, class 1 = 2·1/(1 + 2) = 2/3, class 2 = 0 → mean of the three defined ones.
        Assert.Equal((1 + 2.0 / 3 + 0) / 3, m.MacroF1, 1e-15);
        Assert.Equal([0.0, 0.0, 0.0, 0.0], m.RowFractions(3));
    }

    [Fact]
    public void BadLabelsAndLengthsAreRefusedWithTheirValues()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.From([0, 5], [0, 1], 3));
        Assert.Contains("[0, 3)", e.Message);
        var l = Assert.Throws<ArgumentException>(() => ConfusionMatrix.From([0, 1], [0], 3));
        Assert.Contains("2 true labels but 1 predictions", l.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(1));
    }
}
