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

    internal TensorSpec Spec => new(Name, DType, Shape);
}

/// <summary>What a stored tensor must look like: name, element type and shape (and so its byte count).</summary>
internal readonly record struct TensorSpec(string Name, ScalarType DType, long[] Shape)
{
    /// <summary>Highest rank a stored tensor may have.</summary>
    public const int MaxRank = 64;

    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Bytes of the contiguous data, or null when the dtype has no known element size or the size does not fit an array.</summary>
    public long? ByteCount => ElementSize(DType) is { } size && Elements(Shape) is { } n && n <= Array.MaxLength / size ? n * size : null;

    /// <summary>Bytes per element of the dtypes a module's parameters and buffers can have; null for others.</summary>
    public static int? ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => null,
    };

    // Element count, or null for a negative dimension, a rank above MaxRank or more elements than any array holds.
    static long? Elements(long[] shape)
    {
        if (shape.Length > MaxRank) return null;
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) return null;
            if (d > 0 && n > Array.MaxLength / d) return null;
            n *= d;
        }
        return n;
    }
}

/// <summary>Copies named tensors (a module's parameters and buffers) to and from host records and binary streams.</summary>
public static class NamedTensors
{
    // Longest name a stored tensor may have (state-dict names are dotted paths, a few dozen bytes).
    const int MaxNameBytes = 4096;

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
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(module);
        var byName = new Dictionary<string, TensorSpec>(saved.Count, StringComparer.Ordinal);
        foreach (var s in saved)
        {
            if (s.Name is null || s.Shape is null) return $"{what} is invalid: a parameter without a name or shape.";
            if (!byName.TryAdd(s.Name, s)) return $"{what} is invalid: the {source} lists parameter '{s.Name}' twice.";
        }
        var current = module.state_dict();
        foreach (var (name, tensor) in current)
        {
            if (!byName.TryGetValue(name, out var r))
                return $"{what} does not fit the model: the model's parameter '{name}' is missing from the {source}.";
            if (!r.Shape.SequenceEqual(tensor.shape))
                return $"{what} does not fit the model: parameter '{name}' has shape {r.ShapeText} in the {source} but [{string.Join(", ", tensor.shape)}] in the model.";
            if (r.DType != tensor.dtype)
                return $"{what} does not fit the model: parameter '{name}' is {r.DType} in the {source} but {tensor.dtype} in the model.";
        }
        var extra = saved.FirstOrDefault(r => !current.ContainsKey(r.Name));
        return extra.Name is null ? null : $"{what} does not fit the model: the {source} has parameter '{extra.Name}', which the model does not.";
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
    /// Reads records written by <see cref="Write"/> from untrusted bytes: every length is bounded by what is left of the
    /// data, each record's dtype must be known, its rank at most <see cref="TensorSpec.MaxRank"/>, its byte count exactly
    /// what its shape and dtype need, and no name may repeat. With <paramref name="expected"/>, the records must be
    /// exactly those tensors, in that order (so nothing larger than they are is ever allocated).
    /// </summary>
    /// <param name="keep">False hashes the data without keeping it (and returns null).</param>
    internal static IReadOnlyList<TensorRecord>? Read(VerifiedReader reader, IReadOnlyList<TensorSpec>? expected, bool keep)
    {
        int count = reader.ReadInt32("the tensor count");
        // Each record takes at least 13 bytes (empty name, dtype, rank, byte count), which bounds a corrupt count.
        if (count < 0 || count > reader.Remaining / 13)
            throw new InvalidDataException($"the tensor count {count} is impossible for the {reader.Remaining} bytes that follow");
        if (expected is not null && count != expected.Count)
            throw new InvalidDataException($"it holds {count} tensors, but its parameter list has {expected.Count}");
        var records = keep ? new TensorRecord[count] : null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString($"the name of tensor {i}", MaxNameBytes);
            if (!names.Add(name)) throw new InvalidDataException($"tensor '{name}' appears twice");
            int dtypeCode = reader.ReadInt32($"the dtype of tensor '{name}'");
            var dtype = (ScalarType)dtypeCode;
            if (!Enum.IsDefined(dtype) || TensorSpec.ElementSize(dtype) is null)
                throw new InvalidDataException($"tensor '{name}' has the unknown dtype code {dtypeCode}");
            int rank = reader.ReadInt32($"the rank of tensor '{name}'");
            if (rank < 0 || rank > TensorSpec.MaxRank) throw new InvalidDataException($"tensor '{name}' has rank {rank}");
            var shape = new long[rank];
            for (int d = 0; d < rank; d++) shape[d] = reader.ReadInt64($"the shape of tensor '{name}'");
            var spec = new TensorSpec(name, dtype, shape);
            if (expected is not null && (expected[i].Name != name || expected[i].DType != dtype || !expected[i].Shape.SequenceEqual(shape)))
                throw new InvalidDataException(
                    $"tensor {i} is '{name}' ({dtype}, {spec.ShapeText}), but the parameter list has '{expected[i].Name}' ({expected[i].DType}, {expected[i].ShapeText}) there");
            int length = reader.ReadInt32($"the byte count of tensor '{name}'");
            if (spec.ByteCount is not { } bytes)
                throw new InvalidDataException($"tensor '{name}' has the impossible shape {spec.ShapeText}");
            if (length != bytes)
                throw new InvalidDataException($"tensor '{name}' holds {length} bytes, but its shape {spec.ShapeText} and dtype {dtype} need {bytes}");
            if (keep) records![i] = new TensorRecord(name, dtype, shape, reader.ReadBytes(length, $"the data of tensor '{name}'"));
            else reader.Skip(length, $"the data of tensor '{name}'");
        }
        return records;
    }
}
