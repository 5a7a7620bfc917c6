using System.IO.Compression;
using NodeDsl.Runtime.Data;

namespace NodeDsl.Runtime.Tests.Classification;

/// <summary>The IDX reader against bytes laid out by hand (LeCun's format description), plain and gzipped.</summary>
public sealed class IdxFileTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-idx-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // Magic 0x00000803 (unsigned bytes, 3 dimensions), then sizes 2, 2, 3 as big-endian int32, then 12 values.
    static readonly byte[] HandMade =
    [
        0, 0, 8, 3,
        0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255,
    ];

    [Fact]
    public void ReadsAHandMadeFilePlainAndGzipped()
    {
        string plain = Path.Combine(folder, "a-idx3-ubyte");
        File.WriteAllBytes(plain, HandMade);
        string zipped = plain + ".gz";
        using (var file = File.Create(zipped))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest)) gzip.Write(HandMade);
        foreach (var path in new[] { plain, zipped })
        {
            var a = IdxFile.Read(path);
            Assert.Equal([2, 2, 3], a.Shape);
            Assert.Equal(HandMade.AsSpan(16).ToArray(), a.Data);
        }
    }

    [Fact]
    public void WriteThenReadReturnsTheArray()
    {
        var array = new IdxArray([3, 5], Enumerable.Range(0, 15).Select(i => (byte)(i * 17)).ToArray());
        foreach (var name in new[] { "b-idx2-ubyte", "b-idx2-ubyte.gz" })
        {
            string path = Path.Combine(folder, name);
            IdxFile.Write(path, array);
            var back = IdxFile.Read(path);
            Assert.Equal(array.Shape, back.Shape);
            Assert.Equal(array.Data, back.Data);
        }
        // The plain file is exactly header + values: 4 + 2·4 + 15 bytes, sizes big-endian.
        var bytes = File.ReadAllBytes(Path.Combine(folder, "b-idx2-ubyte"));
        Assert.Equal(27, bytes.Length);
        Assert.Equal(new byte[] { 0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 5 }, bytes[..12]);
    }

    [Fact]
    public void TruncatedAndForeignFilesGetMessagesThatSayWhatIsWrong()
    {
        string truncated = Path.Combine(folder, "t");
        File.WriteAllBytes(truncated, HandMade[..20]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxFile.Read(truncated)).Message);
        string floats = Path.Combine(folder, "f");
        File.WriteAllBytes(floats, [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        Assert.Contains("0x0D", Assert.Throws<InvalidDataException>(() => IdxFile.Read(floats)).Message);
        string text = Path.Combine(folder, "x");
        File.WriteAllText(text, "label,pixel\n");
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxFile.Read(text)).Message);
        Assert.Throws<FileNotFoundException>(() => IdxFile.Read(Path.Combine(folder, "missing")));
    }
}
