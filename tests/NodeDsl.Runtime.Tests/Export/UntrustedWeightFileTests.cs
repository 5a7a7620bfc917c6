using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDsl.Runtime.Export;
using NodeDsl.Runtime.Tests.Training;
using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Tests.Export;

/// <summary>
/// Weight files are untrusted input: whatever their bytes say, loading fails with a <see cref="WeightFileException"/>
/// naming the problem, reads no further than it must, allocates no more than the file and the model justify, and
/// leaves the model untouched.
/// </summary>
public sealed class UntrustedWeightFileTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-untrusted-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // Loading the header of a rejected file allocates a few KB (stream buffer, exception, message); the model's tensors
    // are native memory. 1 MiB is far above that and far below a whole 256 MB file read into memory.
    const long SmallAllocation = 1 << 20;

    static WeightMetadata Metadata() => new()
    {
        States = [new ValueRange("x", -1, 1), new ValueRange("v", -2, 2)],
        Inputs = [new ValueRange("mu", 0.1, 0.5)],
        Time = new ValueRange("t", 0, 2),
    };

    byte[] Good()
    {
        var path = Path.Combine(folder, "good.nodew");
        using var model = new TinyOscillator(seed: 1);
        model.SaveWeights(path, Metadata());
        return File.ReadAllBytes(path);
    }

    static IReadOnlyList<TensorRecord> Tensors()
    {
        using var model = new TinyOscillator(seed: 1);
        return NamedTensors.Capture(model);
    }

    /// <summary>The metadata of <see cref="Good"/> as editable JSON.</summary>
    static JsonObject GoodJson()
    {
        var tensors = Tensors();
        var metadata = Metadata() with
        {
            ModelType = typeof(TinyOscillator).FullName!,
            Parameters = [.. tensors.Select(t => new ParameterDescription(t.Name, t.Shape, t.DType.ToString()))],
        };
        return JsonNode.Parse(JsonSerializer.Serialize(metadata, WeightFile.Json))!.AsObject();
    }

    [Fact]
    public void AShortLastTensorUnderAValidChecksumLeavesEveryParameterUntouched()
    {
        var good = Good();
        var count = StoredLayout.WeightFileFields(good).Last(f => f.Name.EndsWith("byte count"));
        // Drop the last 4 data bytes, say so in the byte count, and re-seal: only the parser can notice.
        byte[] cut = [.. good[..^(32 + 4)], .. new byte[32]];
        var bytes = StoredLayout.SealWeightFile(StoredLayout.WithValue(cut, count, BitConverter.ToInt32(good, count.Offset) - 4));

        using var model = new TinyOscillator(seed: 5);
        var before = model.Snapshot();
        var e = Assert.Throws<WeightFileException>(() => model.LoadWeights(new MemoryStream(bytes), "short.nodew"));
        Assert.Contains("has a valid checksum but invalid contents", e.Message);
        Assert.Contains("tensor 'net.2.bias' holds 4 bytes, but its shape [1] and dtype Float64 need 8", e.Message);
        Assert.Equal(before, model.Snapshot());
    }

    [Fact]
    public void RestoringRecordsValidatesThemAllBeforeCopyingAny()
    {
        // The routine checkpoints share: a short last record must not leave the first ones copied.
        var records = Tensors().ToList();
        records[^1] = records[^1] with { Data = records[^1].Data[..4] };
        using var model = new TinyOscillator(seed: 5);
        var before = model.Snapshot();
        var e = Assert.Throws<ArgumentException>(() => NamedTensors.Restore(records, model));
        Assert.Contains("'net.2.bias' holds 4 bytes of data, but its shape [1] and dtype Float64 need 8", e.Message);
        Assert.Contains("Nothing was restored", e.Message);
        Assert.Equal(before, model.Snapshot());
        var twice = Tensors().Concat(Tensors().Take(1)).ToList();
        Assert.Contains("lists parameter 'k' twice", Assert.Throws<ArgumentException>(() => NamedTensors.Restore(twice, model)).Message);
        Assert.Equal(before, model.Snapshot());
    }

    public static TheoryData<string, string> MalformedMetadata => new()
    {
        { "parameters null", "metadata field 'parameters' is null" },
        { "parameter repeated", "'parameters[5]' repeats the name 'k'" },
        { "parameter null", "'parameters[0]' is null" },
        { "dtype unknown", "'parameters[0]' ('k') has the unknown dtype 'Float128'" },
        { "dtype number", "'parameters[0]' ('k') has the unknown dtype '7'" },
        { "dimension negative", "'parameters[1]' ('net.0.weight') has the impossible shape [-4, 3]" },
        { "states null", "'states' is null" },
        { "range NaN", "'time' ('t') is [NaN, 2], not a range" },
        { "range reversed", "'states[0]' ('x') is [1, -1], not a range" },
        { "model type null", "'modelType' is null" },
        { "rtol NaN", "'relativeTolerance' is NaN, but must be a finite number ≥ 0" },
        { "atol negative", "'absoluteTolerance' is -1, but must be a finite number ≥ 0" },
        { "tolerances zero", "'relativeTolerance' and 'absoluteTolerance' are both 0" },
        { "step NaN", "'stepSize' is NaN, but must be a finite number > 0" },
        { "step tiny", "'stepSize' is 1E-12, which needs 2E+12 steps to cover the trained time range [0, 2]" },
        { "solver empty", "'solver' is empty" },
        { "not json", "its metadata is not valid JSON" },
        { "json null", "the metadata is null" },
    };

    static string Json(string damage)
    {
        var json = GoodJson();
        var parameters = json["parameters"]!.AsArray();
        switch (damage)
        {
            case "parameters null": json["parameters"] = null; break;
            case "parameter repeated": parameters.Add(parameters[0]!.DeepClone()); break;
            case "parameter null": parameters[0] = null; break;
            case "dtype unknown": parameters[0]!["dType"] = "Float128"; break;
            case "dtype number": parameters[0]!["dType"] = "7"; break;
            case "dimension negative": parameters[1]!["shape"]![0] = -4; break;
            case "states null": json["states"] = null; break;
            case "range NaN": json["time"]!["min"] = "NaN"; break;
            case "range reversed": (json["states"]![0]!["min"], json["states"]![0]!["max"]) = (1, -1); break;
            case "model type null": json["modelType"] = null; break;
            case "rtol NaN": json["relativeTolerance"] = "NaN"; break;
            case "atol negative": json["absoluteTolerance"] = -1; break;
            case "tolerances zero": (json["relativeTolerance"], json["absoluteTolerance"]) = (0, 0); break;
            case "step NaN": json["stepSize"] = "NaN"; break;
            case "step tiny": json["stepSize"] = 1e-12; break;
            case "solver empty": json["solver"] = ""; break;
            case "not json": return "{\"modelType\": ";
            case "json null": return "null";
            default: throw new ArgumentOutOfRangeException(nameof(damage));
        }
        return json.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(MalformedMetadata))]
    public void MalformedMetadataUnderAValidChecksumIsAWeightFileExceptionNamingTheField(string damage, string expected)
    {
        var tensors = Tensors();
        // The repeated parameter gets a repeated tensor too, so that only the name is wrong.
        var bytes = StoredLayout.HandMadeWeightFile(Json(damage), damage == "parameter repeated" ? [.. tensors, tensors[0]] : tensors);
        var path = Path.Combine(folder, "bad.nodew");
        File.WriteAllBytes(path, bytes);

        using var model = new TinyOscillator(seed: 5);
        var before = model.Snapshot();
        foreach (var load in new Action[]
        {
            () => model.LoadWeights(path),
            () => model.LoadWeights(new UnseekableStream(bytes), "bad.nodew"),
            () => WeightFile.ReadMetadata(path),
            () => new TinySurrogate(new MemoryStream(bytes)).Dispose(),
        })
        {
            var e = Assert.Throws<WeightFileException>(load);
            Assert.Contains(expected, e.Message);
        }
        Assert.Equal(before, model.Snapshot());
    }

    [Fact]
    public void MetadataThatAReaderWouldRejectIsRefusedBeforeSaving()
    {
        using var model = new TinyOscillator(seed: 1);
        var path = Path.Combine(folder, "refused.nodew");
        var nan = Assert.Throws<ArgumentException>(() => model.SaveWeights(path, Metadata() with { RelativeTolerance = double.NaN }));
        Assert.Contains("'relativeTolerance' is NaN", nan.Message);
        var tiny = Assert.Throws<ArgumentException>(() => model.SaveWeights(path, Metadata() with { Solver = "rk4", StepSize = 1e-12 }));
        Assert.Contains("'stepSize' is 1E-12, which needs 2E+12 steps", tiny.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void OnlyTheHeaderOfAFileOfZerosIsRead()
    {
        // 256 MB of zeros (a sparse file: no disk space used). Reading it whole used to cost three times its size.
        var path = Path.Combine(folder, "zeros.nodew");
        using (var file = File.Create(path)) file.SetLength(256L << 20);
        using var model = new TinyOscillator(seed: 5);
        foreach (var load in new Action[]
        {
            () => model.LoadWeights(path),
            () => WeightFile.Read(path),
            () => { using var stream = File.OpenRead(path); new TinySurrogate(stream).Dispose(); },
        })
        {
            long allocated = Allocation.Of(() => Assert.Contains("is not a NodeDsl weight file", Assert.Throws<WeightFileException>(load).Message));
            Assert.True(allocated < SmallAllocation, $"{allocated} bytes allocated");
        }
    }

    [Fact]
    public void AnEndlessStreamIsReadNoFurtherThanItsHeaderAndMetadataAllow()
    {
        var zeros = UnseekableStream.Zeros();
        Assert.Contains("is not a NodeDsl weight file", Assert.Throws<WeightFileException>(() => new TinySurrogate(zeros)).Message);
        Assert.Equal(20, zeros.Consumed);                                  // the header, nothing more

        // A valid header announcing 2^62 bytes and valid metadata, then zeros without end: the tensor count (0) does not
        // match the metadata's five parameters, found a few bytes after the metadata.
        var good = Good();
        int metadataEnd = 24 + BitConverter.ToInt32(good, 20);
        var prefix = StoredLayout.WithValue(good[..metadataEnd], StoredLayout.WeightFileFields(good)[0], 1L << 62);
        var endless = new UnseekableStream(i => i < prefix.Length ? prefix[i] : (byte)0, long.MaxValue);
        using var model = new TinyOscillator(seed: 5);
        var before = model.Snapshot();
        WeightFileException? e = null;
        long allocated = Allocation.Of(() => e = Assert.Throws<WeightFileException>(() => model.LoadWeights(endless, "endless")));
        Assert.Contains("it holds 0 tensors, but its parameter list has 5", e!.Message);
        Assert.Contains("the stream has no length", e.Message);
        Assert.True(endless.Consumed <= prefix.Length + 4, $"read {endless.Consumed} bytes");
        Assert.True(allocated < SmallAllocation, $"{allocated} bytes allocated");
        Assert.Equal(before, model.Snapshot());
    }

    [Fact]
    public void AStreamWithoutALengthLoadsAndIsCheckedAtItsEnd()
    {
        var good = Good();
        using var model = new TinyOscillator(seed: 5);
        model.LoadWeights(new UnseekableStream(good), "unseekable");
        using var original = new TinyOscillator(seed: 1);
        Assert.Equal(original.Snapshot(), model.Snapshot());

        using var other = new TinyOscillator(seed: 6);
        var before = other.Snapshot();
        var trailing = Assert.Throws<WeightFileException>(() => other.LoadWeights(new UnseekableStream([.. good, 7]), "trailing"));
        Assert.Contains($"unexpected trailing bytes after the {good.Length} bytes its header announces", trailing.Message);
        var truncated = Assert.Throws<WeightFileException>(() => other.LoadWeights(new UnseekableStream(good[..^40]), "truncated"));
        Assert.Contains("is truncated", truncated.Message);
        Assert.Equal(before, other.Snapshot());
    }

    [Fact]
    public void DamagedMetadataUnderABadChecksumIsReportedAsCorruption()
    {
        var good = Good();
        var flipped = (byte[])good.Clone();
        flipped[24] ^= 0x40;                                            // the JSON's first character: no longer JSON
        using var model = new TinyOscillator(seed: 5);
        var e = Assert.Throws<WeightFileException>(() => model.LoadWeights(new MemoryStream(flipped), "flipped"));
        Assert.Contains("is corrupt: its SHA-256 checksum does not match", e.Message);
    }

    [Fact]
    public void SolverSettingsThatCannotWorkFailAtConstructionOrBeforeTheFirstStep()
    {
        var json = GoodJson();
        json["solver"] = "rk4";                                          // fixed step, but no stepSize
        var e = Assert.Throws<WeightFileException>(() => new TinySurrogate(new MemoryStream(StoredLayout.HandMadeWeightFile(json.ToJsonString(), Tensors()))));
        Assert.Contains("names the fixed-step solver 'rk4' but has no 'stepSize'", e.Message);

        // Without a recorded time range, the step is checked against each prediction's span, before the first step.
        json["stepSize"] = 1e-6;
        json["time"] = null;
        using var surrogate = new TinySurrogate(new MemoryStream(StoredLayout.HandMadeWeightFile(json.ToJsonString(), Tensors())));
        var predict = Assert.Throws<OdeArgumentException>(() => surrogate.Predict([0.5, 0.0], [0.3], [0.0, 2.0]));
        Assert.Contains("SolverOptions.StepSize = 1E-06 needs at least 2E+06 steps", predict.Message);
    }

    [Fact]
    public void AParameterListThatDoesNotFitTheModelIsRejectedBeforeAnyTensorIsRead()
    {
        // The metadata claims a 128 MB first-layer weight; the model has [4, 3]. The claim is never allocated.
        var json = GoodJson();
        json["parameters"]![1]!["shape"] = new JsonArray(16384, 1024);
        var bytes = StoredLayout.HandMadeWeightFile(json.ToJsonString(), Tensors());
        using var model = new TinyOscillator(seed: 5);
        WeightFileException? e = null;
        long allocated = Allocation.Of(() => e = Assert.Throws<WeightFileException>(() => model.LoadWeights(new MemoryStream(bytes), "big")));
        Assert.Contains("parameter 'net.0.weight' has shape [16384, 1024] in the weight file but [4, 3] in the model", e!.Message);
        Assert.True(allocated < SmallAllocation, $"{allocated} bytes allocated");
        // Without a model, the tensors must be exactly those the metadata lists.
        var alone = Assert.Throws<WeightFileException>(() => WeightFile.Read(new MemoryStream(bytes), "big"));
        Assert.Contains("tensor 1 is 'net.0.weight' (Float64, [4, 3]), but the parameter list has 'net.0.weight' (Float64, [16384, 1024]) there", alone.Message);
    }
}
