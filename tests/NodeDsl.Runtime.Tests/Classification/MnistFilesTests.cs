using NodeDsl.Runtime.Classification;
using NodeDsl.Runtime.Data;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Classification;

/// <summary>Loading an MNIST-format folder: shapes, pixel scaling, labels, limits and the messages for missing files.</summary>
public sealed class MnistFilesTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-mnist-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    void WriteSplit(MnistSplit split, int count, bool gzip)
    {
        var (images, labels) = MnistFiles.FileNames(split);
        string ext = gzip ? ".gz" : "";
        // Image i holds the value i + j in pixel j (mod 256), 2 × 3 pixels; label i mod 10.
        IdxFile.Write(Path.Combine(folder, images + ext),
            new IdxArray([count, 2, 3], Enumerable.Range(0, count * 6).Select(k => (byte)((k / 6 + k % 6) % 256)).ToArray()));
        IdxFile.Write(Path.Combine(folder, labels + ext), new IdxArray([count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray()));
    }

    [Fact]
    public void LoadsImagesAsN1RowsColsScaledToTheUnitInterval()
    {
        WriteSplit(MnistSplit.Train, 12, gzip: true);
        WriteSplit(MnistSplit.Test, 4, gzip: false);
        Assert.True(MnistFiles.Contains(folder));
        using var train = MnistFiles.Load(folder, MnistSplit.Train, limit: 11);
        Assert.Equal([11L, 1, 2, 3], train.Inputs.shape);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)(i % 10)), train.Labels);
        Assert.Equal(MnistFiles.FashionClassNames, train.ClassNames);
        // Pixel (image 5, row 1, col 2) = 5 + 5 = 10 → 10/255 in float32.
        Assert.Equal(10f / 255f, train.Inputs[5, 0, 1, 2].item<float>());
        using var test = MnistFiles.Load(folder, MnistSplit.Test, classNames: MnistFiles.DigitClassNames);
        Assert.Equal(4, test.Count);
        Assert.Equal("3", test.ClassNames[3]);
    }

    [Fact]
    public void AMissingFileIsNamedWithTheLayoutExpected()
    {
        WriteSplit(MnistSplit.Train, 3, gzip: false);
        Assert.False(MnistFiles.Contains(folder));
        var e = Assert.Throws<FileNotFoundException>(() => MnistFiles.Load(folder, MnistSplit.Test));
        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
        Assert.Contains(".gz", e.Message);
    }

    [Fact]
    public void LabelsBeyondTheClassNamesAndMismatchedCountsAreRefused()
    {
        var (images, labels) = MnistFiles.FileNames(MnistSplit.Train);
        IdxFile.Write(Path.Combine(folder, images), new IdxArray([2, 1, 1], [0, 0]));
        IdxFile.Write(Path.Combine(folder, labels), new IdxArray([2], [0, 12]));
        Assert.Contains("label 12", Assert.Throws<InvalidDataException>(() => MnistFiles.Load(folder, MnistSplit.Train)).Message);
        IdxFile.Write(Path.Combine(folder, labels), new IdxArray([3], [0, 1, 2]));
        Assert.Contains("one label per image", Assert.Throws<InvalidDataException>(() => MnistFiles.Load(folder, MnistSplit.Train)).Message);
    }

    [Fact]
    public void ClassificationDataChecksLabelsAndTakesBatches()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassificationData(zeros(3, 2), [0, 1, 2], ["a", "b"]));
        Assert.Contains("Label 2 of example 2", e.Message);
        Assert.Throws<ArgumentException>(() => new ClassificationData(zeros(new long[] { 3, 2 }, ScalarType.Int64), [0, 1, 1], ["a", "b"]));
        using var data = new ClassificationData(arange(6, dtype: ScalarType.Float32).reshape(3, 2), [1, 0, 1], ["a", "b"]);
        Assert.Equal([1, 2], data.ClassCounts());
        using var scope = NewDisposeScope();
        var (x, y) = data.Batch([2, 0], ScalarType.Float64, CPU);
        Assert.Equal(ScalarType.Float64, x.dtype);
        Assert.Equal(new[] { 4.0, 5.0, 0.0, 1.0 }, x.data<double>().ToArray());
        Assert.Equal(new[] { 1L, 1L }, y.data<long>().ToArray());
        using var first = data.Take(2);
        Assert.Equal([1L, 0L], first.Labels);
    }
}
