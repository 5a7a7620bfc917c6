using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Export;
using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Tests.Export;

public sealed class WeightFileTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-weights-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static readonly DateTimeOffset Created = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    static WeightMetadata Metadata() => new()
    {
        States = [new ValueRange("x", -1, 1), new ValueRange("v", -2, 2)],
        Inputs = [new ValueRange("mu", 0.1, 0.5)],
        Time = new ValueRange("t", 0, 5),
        Solver = "rk4",
        StepSize = 0.125,
        RelativeTolerance = 1e-5,
        AbsoluteTolerance = 1e-7,
        GradientMethod = "backsolve",
        Created = Created,
        Notes = "unit test ✓",
    };

    string Saved(TinyOscillator? model = null, string name = "tiny.nodew")
    {
        var path = Path.Combine(folder, name);
        using var m = model is null ? new TinyOscillator(seed: 1) : null;
        (model ?? m!).SaveWeights(path, Metadata());
        return path;
    }

    [Fact]
    public void RoundTripRestoresEveryTensorBitForBitAndKeepsTheMetadata()
    {
        using var source = new TinyOscillator(seed: 1);
        var path = Path.Combine(folder, "tiny.nodew");
        var written = source.SaveWeights(path, Metadata());

        using var target = new TinyOscillator(seed: 2);     // different initial weights
        Assert.NotEqual(source.Snapshot()["net.0.weight"], target.Snapshot()["net.0.weight"]);
        var read = target.LoadWeights(path);

        var expected = source.Snapshot();
        var actual = target.Snapshot();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected) Assert.Equal(bytes, actual[name]);   // exact bytes, not a tolerance

        Assert.Equal("NodeDsl.Runtime.Tests.Export.TinyOscillator", read.ModelType);
        Assert.Equal(["k", "net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"], read.Parameters.Select(p => p.Name));
        Assert.Equal([4L, 3L], read.Parameters[1].Shape);
        Assert.All(read.Parameters, p => Assert.Equal("Float64", p.DType));
        Assert.Equal(written.States, read.States);
        Assert.Equal(written.Inputs, read.Inputs);
        Assert.Equal(new ValueRange("t", 0, 5), read.Time);
        Assert.Equal(("rk4", 0.125, 1e-5, 1e-7, "backsolve"), (read.Solver, read.StepSize, read.RelativeTolerance, read.AbsoluteTolerance, read.GradientMethod));
        Assert.Equal(Created, read.Created);
        Assert.Equal("unit test ✓", read.Notes);
        Assert.Equal(WeightFileExtensions.RuntimeVersion, read.NodeDslVersion);
        Assert.False(string.IsNullOrEmpty(read.NodeDslVersion));
        Assert.Equal(read.Parameters.Select(p => p.Name), WeightFile.ReadMetadata(path).Parameters.Select(p => p.Name));
    }

    [Fact]
    public void TheFileIsADeterministicFunctionOfWeightsAndMetadata()
    {
        using var model = new TinyOscillator(seed: 1);
        var a = Path.Combine(folder, "a.nodew");
        var b = Path.Combine(folder, "b.nodew");
        model.SaveWeights(a, Metadata());
        model.SaveWeights(b, Metadata());
        var bytes = File.ReadAllBytes(a);
        Assert.Equal(bytes, File.ReadAllBytes(b));
        Assert.Equal("NODEDSLW"u8.ToArray(), bytes[..8]);
        Assert.Equal(WeightFile.FormatVersion, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(1, WeightFile.FormatVersion);
    }

    [Fact]
    public void SavingWithoutACreationTimeStampsTheCurrentTime()
    {
        using var model = new TinyOscillator();
        var before = DateTimeOffset.UtcNow;
        var written = model.SaveWeights(Path.Combine(folder, "now.nodew"), Metadata() with { Created = null });
        Assert.InRange(written.Created!.Value, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void FromTrainingRecordsRangesSolverToleranceAndGradientMethod()
    {
        var times = new[] { 0.5, 1.0, 2.5 };
        var a = new Trajectory("a", times, new double[,] { { 1, 2 }, { double.NaN, -3 }, { 0.5, 4 } }, inputs: [0.2]);
        var b = new Trajectory("b", [0.0, 1.0], new double[,] { { -1, 0 }, { 2, 1 } }, inputs: [0.7]);
        var data = new TrajectoryDataset(["x", "v"], ["mu"], [a, b]);
        var options = new TrainerOptions
        {
            Solver = NodeDsl.Runtime.Solvers.Tsit5, Gradient = GradientMethod.Backsolve(),
            SolverOptions = new SolverOptions { RelativeTolerance = 1e-4, AbsoluteTolerance = 1e-6 },
        };
        var m = WeightMetadata.FromTraining(data, options, "note");
        // The NaN (missing observation) must not become the minimum or maximum.
        Assert.Equal([new ValueRange("x", -1, 2), new ValueRange("v", -3, 4)], m.States);
        Assert.Equal([new ValueRange("mu", 0.2, 0.7)], m.Inputs);
        Assert.Equal(new ValueRange("t", 0, 2.5), m.Time);
        Assert.Equal(("tsit5", 1e-4, 1e-6, (double?)null, "backsolve", "note"), (m.Solver, m.RelativeTolerance, m.AbsoluteTolerance, m.StepSize, m.GradientMethod, m.Notes));
        Assert.Equal("autograd", WeightMetadata.FromTraining(data, options with { Gradient = null }).GradientMethod);
    }

    [Fact]
    public void MetadataWhoseRangesDoNotFitTheModelIsRejectedBeforeWriting()
    {
        using var model = new TinyOscillator();
        var path = Path.Combine(folder, "bad.nodew");
        var e = Assert.Throws<ArgumentException>(() => model.SaveWeights(path, Metadata() with { States = [new ValueRange("x", 0, 1)] }));
        Assert.Contains("ranges for 1 states", e.Message);
        Assert.Contains("observes 2 (x, v)", e.Message);
        Assert.False(File.Exists(path));
    }

    public static TheoryData<string, string[]> Corruptions => new()
    {
        { "truncated", ["is truncated", "announces", "Export the weights again"] },
        { "header-only", ["is truncated", "shorter than the 52-byte header"] },
        { "empty", ["is truncated", "0 bytes"] },
        { "flipped-body", ["is corrupt", "SHA-256 checksum does not match"] },
        { "flipped-checksum", ["is corrupt", "SHA-256 checksum does not match"] },
        { "flipped-length", ["announces"] },   // ±32 bytes: truncated or trailing, depending on the bit
        { "trailing", ["3 unexpected trailing bytes"] },
        { "wrong-magic", ["is not a NodeDsl weight file", "first bytes are not 'NODEDSLW'", "model.SaveWeights"] },
        { "checkpoint", ["is not a NodeDsl weight file", "training checkpoint", "TrainingCheckpoint.Load"] },
        { "newer-version", ["format version 2", "newer than this build", "reads (up to 1)", "Update NodeDsl.Runtime"] },
        { "zero-version", ["invalid format version 0"] },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void EachDamagedFileFailsWithItsCauseAndLeavesTheModelUntouched(string damage, string[] expected)
    {
        var good = File.ReadAllBytes(Saved());
        byte[] bytes = damage switch
        {
            "truncated" => good[..^7],
            "header-only" => good[..30],
            "empty" => [],
            "flipped-body" => Flip(good, good.Length / 2),
            "flipped-checksum" => Flip(good, good.Length - 1),
            "flipped-length" => Flip(good, 12),
            "trailing" => [.. good, 1, 2, 3],
            "wrong-magic" => Flip(good, 0),
            "checkpoint" => [.. "NODEDSLC"u8.ToArray(), .. good[8..]],
            "newer-version" => WithVersion(good, 2),
            "zero-version" => WithVersion(good, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        var path = Path.Combine(folder, damage + ".nodew");
        File.WriteAllBytes(path, bytes);

        using var model = new TinyOscillator(seed: 5);
        var before = model.Snapshot();
        var e = Assert.Throws<WeightFileException>(() => model.LoadWeights(path));
        foreach (var text in expected) Assert.Contains(text, e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal(before.Values, model.Snapshot().Values);          // nothing restored from a bad file
        Assert.Equal(bytes, File.ReadAllBytes(path));                   // and the file is left as it was
        Assert.Throws<WeightFileException>(() => WeightFile.ReadMetadata(path));
    }

    [Fact]
    public void AMissingFileNamesThePathAndHowToMakeIt()
    {
        using var model = new TinyOscillator();
        var path = Path.Combine(folder, "absent.nodew");
        var e = Assert.Throws<WeightFileException>(() => model.LoadWeights(path));
        Assert.Contains($"'{path}' does not exist", e.Message);
        Assert.Contains("SaveWeights", e.Message);
    }

    static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x20;
        return copy;
    }

    static byte[] WithVersion(byte[] bytes, int version)
    {
        var copy = (byte[])bytes.Clone();
        BitConverter.GetBytes(version).CopyTo(copy, 8);   // int32 after the 8-byte magic
        return copy;
    }

    public static TheoryData<string, string> Mismatches => new()
    {
        { "shape", "parameter 'net.0.weight' has shape [4, 3] in the weight file but [5, 3] in the model" },
        { "missing", "the model's parameter 'mlp.0.weight' is missing from the weight file" },
        { "extra", "the weight file has parameter 'bias', which the model does not" },
        { "dtype", "parameter 'k' is Float64 in the weight file but Float32 in the model" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void AModelOfAnotherStructureNamesTheFirstMismatchingParameter(string kind, string expected)
    {
        using var saved = new TinyOscillator(seed: 1, extra: kind == "extra");
        var path = Saved(saved);
        using var model = kind switch
        {
            "shape" => new TinyOscillator(hidden: 5),
            "missing" => new TinyOscillator(netName: "mlp"),
            "extra" => new TinyOscillator(),
            "dtype" => new TinyOscillator(dtype: TorchSharp.torch.ScalarType.Float32),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var before = model.Snapshot();
        var e = Assert.Throws<WeightFileException>(() => model.LoadWeights(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"Weight file '{path}' does not fit the model", e.Message);
        Assert.Contains("saved from NodeDsl.Runtime.Tests.Export.TinyOscillator", e.Message);
        Assert.Contains("export the weights again", e.Message);
        Assert.Equal(before.Values, model.Snapshot().Values);
    }

    [Fact]
    public void AWriteThatFailsMidwayLeavesTheOldFileIntactAndNoTemporaryFile()
    {
        var path = Saved();
        var before = File.ReadAllBytes(path);
        using var changed = new TinyOscillator(seed: 9);

        var tensors = NamedTensors.Capture(changed);
        var metadata = Metadata() with { Parameters = [.. tensors.Select(t => new ParameterDescription(t.Name, t.Shape, t.DType.ToString()))] };
        var e = Assert.Throws<IOException>(() => WeightFile.Write(path, metadata, tensors, s => new FailingStream(s, failAfter: 100)));
        Assert.Equal("disk full (simulated)", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));                 // the partial temporary file was removed
        using var model = new TinyOscillator(seed: 3);
        model.LoadWeights(path);                                          // and the old file still loads
        using var original = new TinyOscillator(seed: 1);
        Assert.Equal(original.Snapshot()["net.2.weight"], model.Snapshot()["net.2.weight"]);
    }

    /// <summary>Passes <c>failAfter</c> bytes to the file, then throws as a full disk would.</summary>
    sealed class FailingStream(Stream inner, int failAfter) : Stream
    {
        int written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int room = Math.Min(buffer.Length, failAfter - written);
            inner.Write(buffer[..room]);
            inner.Flush();                     // the partial bytes really reach the temporary file
            written += room;
            if (room < buffer.Length) throw new IOException("disk full (simulated)");
        }
    }
}
