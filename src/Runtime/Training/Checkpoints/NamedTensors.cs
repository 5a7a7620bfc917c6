using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>A tensor's name, element type, shape and raw bytes (host copy, little-endian as in memory).</summary>
/// <param name="Name">Parameter or buffer name, e.g. <c>net.0.weight</c>.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Shape.</param>
/// <param name="Data">Contiguous element bytes.</param>
public sealed record TensorRecord(string Name, ScalarType DType, long[] Shape, byte[] Data)
{
    /// <summary>Shape as text, e.g. <c>[2, 2]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    internal TensorSpec Spec => new(Name, NamedTensors.Stored(DType), Shape);
}

/// <summary>Copies named tensors (a module's parameters and buffers) to and from host records and binary streams.</summary>
public static class NamedTensors
{
    /// <summary>Host copies of every parameter and buffer of <paramref name="module"/>, by state-dict name.</summary>
    public static IReadOnlyList<TensorRecord> Capture(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.state_dict().Select(kv => Capture(kv.Key, kv.Value)).ToArray();
    }

    /// <summary>A host copy of one tensor.</summary>
    public static TensorRecord Capture(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = NewDisposeScope();   // detach/cpu/contiguous may each make a tensor
        var host = tensor.detach().cpu().contiguous();
        return new TensorRecord(name, tensor.dtype, tensor.shape.ToArray(), host.bytes.ToArray());
    }

    /// <summary>
    /// Throws a <see cref="CheckpointException"/> naming the first difference between <paramref name="records"/> and
    /// the module's parameters and buffers (missing, extra, shape, dtype, data length or a name given twice), in the module's order.
    /// </summary>
    public static void CheckMatches(IReadOnlyList<TensorRecord> records, nn.Module module, string what)
    {
        if (FirstMismatch(records, module, what, "checkpoint") is { } mismatch) throw new CheckpointException(mismatch);
    }

    /// <summary>
    /// The first difference between <paramref name="records"/> and the module's parameters and buffers, worded for a
    /// file of kind <paramref name="source"/> (e.g. "checkpoint"), or null when they match and every record holds
    /// exactly the bytes its shape and dtype need. Shared with the weight files of <c>NodeDsl.Runtime.Export</c>.
    /// </summary>
    internal static string? FirstMismatch(IReadOnlyList<TensorRecord> records, nn.Module module, string what, string source)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Any(r => r is null)) return $"{what} is invalid: it holds a null tensor record.";
        if (FirstMismatch(records.Select(r => r.Spec).ToArray(), module, what, source) is { } mismatch) return mismatch;
        var wrong = records.FirstOrDefault(r => r.Data is null || r.Data.LongLength != r.Spec.ByteCount);
        return wrong is null ? null
            : $"{what} is invalid: parameter '{wrong.Name}' holds {wrong.Data?.LongLength ?? 0} bytes of data, but its shape {wrong.ShapeText} and dtype {wrong.DType} need {wrong.Spec.ByteCount}.";
    }

    /// <summary>As <see cref="FirstMismatch(IReadOnlyList{TensorRecord}, nn.Module, string, string)"/> for descriptions (no data).</summary>
    internal static string? FirstMismatch(IReadOnlyList<TensorSpec> saved, nn.Module module, string what, string source)
    {
        ArgumentNullException.ThrowIfNull(module);
        var current = module.state_dict().Select(kv => new TensorSpec(kv.Key, Stored(kv.Value.dtype), kv.Value.shape)).ToArray();
        return StoredTensors.FirstMismatch(saved, current, what, source);
    }

    /// <summary>
    /// Copies the records into the module's parameters and buffers. Everything is checked first (see
    /// <see cref="CheckMatches"/>) and every host tensor is built before the first copy, so a bad record leaves the
    /// module untouched.
    /// </summary>
    /// <exception cref="ArgumentException">The records do not fit the module; nothing was changed.</exception>
    public static void Restore(IReadOnlyList<TensorRecord> records, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (FirstMismatch(records, module, "The records", "records") is { } mismatch)
            throw new ArgumentException($"{mismatch} Nothing was restored.", nameof(records));
        var current = module.state_dict();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var staged = new List<(Tensor Target, Tensor Host)>(records.Count);
        foreach (var r in records)
        {
            var host = torch.empty(r.Shape, r.DType);
            host.bytes = r.Data;
            staged.Add((current[r.Name], host));
        }
        foreach (var (target, host) in staged) target.copy_(host);
    }

    /// <summary>Writes records: count, then name, dtype, rank, shape, byte count, bytes.</summary>
    public static void Write(BinaryWriter writer, IReadOnlyList<TensorRecord> records)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(records);
        writer.Write(records.Count);
        foreach (var r in records)
        {
            writer.Write(r.Name);
            writer.Write((int)r.DType);
            writer.Write(r.Shape.Length);
            foreach (var d in r.Shape) writer.Write(d);
            writer.Write(r.Data.Length);
            writer.Write(r.Data);
        }
    }

    /// <summary>Reads records written by <see cref="Write"/>, checking each as <see cref="Read(VerifiedReader, IReadOnlyList{TensorSpec}?, bool)"/> does.</summary>
    /// <exception cref="InvalidDataException">A malformed record (the message names it).</exception>
    /// <exception cref="EndOfStreamException">The stream ends inside a record.</exception>
    public static IReadOnlyList<TensorRecord> Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = reader.BaseStream;
        bool known = stream.CanSeek;
        using var verified = new VerifiedReader(stream, known ? Math.Max(0, stream.Length - stream.Position) : long.MaxValue, known);
        return Read(verified, expected: null, keep: true)!;
    }

    /// <summary>
    /// Reads records written by <see cref="Write"/> from untrusted bytes, by the format's one reader
    /// (<see cref="StoredTensors.Read"/>, shared with NodeDsl.Prediction): every length bounded, dtypes known, byte counts
    /// exact, no repeated name; with <paramref name="expected"/>, exactly those tensors in that order.
    /// </summary>
    /// <param name="keep">False hashes the data without keeping it (and returns null).</param>
    internal static IReadOnlyList<TensorRecord>? Read(VerifiedReader reader, IReadOnlyList<TensorSpec>? expected, bool keep)
        => StoredTensors.Read(reader, expected, keep)?.Select(Record).ToArray();

    /// <summary>A stored tensor as a record of this runtime.</summary>
    internal static TensorRecord Record(StoredTensor t) => new(t.Name, (ScalarType)(int)t.DType, t.Shape, t.Data);

    /// <summary>The file format's code of <paramref name="dtype"/> (the same number; <see cref="StoredDType"/> mirrors <see cref="ScalarType"/>).</summary>
    internal static StoredDType Stored(ScalarType dtype) => (StoredDType)(int)dtype;
}
