namespace NodeDsl.Prediction.Format;

/// <summary>
/// Element type of a stored tensor, by the code and name the files use: PyTorch's <c>ScalarType</c> numbering (TorchSharp's
/// <c>torch.ScalarType</c> has the same names and values; a runtime test checks it), so the format does not need TorchSharp.
/// </summary>
internal enum StoredDType
{
    Byte = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    ComplexFloat32 = 9,
    ComplexFloat64 = 10,
    Bool = 11,
    BFloat16 = 15,
}

/// <summary>A stored tensor: name, element type, shape and raw little-endian bytes.</summary>
internal sealed record StoredTensor(string Name, StoredDType DType, long[] Shape, byte[] Data);

/// <summary>What a stored tensor must look like: name, element type and shape (and so its byte count).</summary>
internal readonly record struct TensorSpec(string Name, StoredDType DType, long[] Shape)
{
    /// <summary>Highest rank a stored tensor may have.</summary>
    public const int MaxRank = 64;

    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Bytes of the contiguous data, or null when the dtype has no known element size or the size does not fit an array.</summary>
    public long? ByteCount => ElementSize(DType) is { } size && Elements(Shape) is { } n && n <= Array.MaxLength / size ? n * size : null;

    /// <summary>Bytes per element of the dtypes a module's parameters and buffers can have; null for others.</summary>
    public static int? ElementSize(StoredDType dtype) => dtype switch
    {
        StoredDType.Byte or StoredDType.Int8 or StoredDType.Bool => 1,
        StoredDType.Int16 or StoredDType.Float16 or StoredDType.BFloat16 => 2,
        StoredDType.Int32 or StoredDType.Float32 => 4,
        StoredDType.Int64 or StoredDType.Float64 or StoredDType.ComplexFloat32 => 8,
        StoredDType.ComplexFloat64 => 16,
        _ => null,
    };

    /// <summary>The dtype named <paramref name="name"/> exactly (names only: "6" is not a name), or null.</summary>
    public static StoredDType? Parse(string? name)
        => name is not null && Enum.TryParse<StoredDType>(name, out var dtype) && dtype.ToString() == name && ElementSize(dtype) is not null ? dtype : null;

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

/// <summary>The tensor section of checkpoints and weight files: count, then per tensor name, dtype, rank, shape, byte count, bytes.</summary>
internal static class StoredTensors
{
    // Longest name a stored tensor may have (state-dict names are dotted paths, a few dozen bytes).
    public const int MaxNameBytes = 4096;

    /// <summary>
    /// The first difference between the <paramref name="saved"/> tensors of a file of kind <paramref name="source"/> (e.g.
    /// "weight file") and those of the <paramref name="model"/>, in the model's order — missing, shape, dtype, then extra
    /// (a name listed twice or without a shape makes the file invalid) — or null when they match.
    /// </summary>
    public static string? FirstMismatch(IReadOnlyList<TensorSpec> saved, IReadOnlyList<TensorSpec> model, string what, string source)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(model);
        var byName = new Dictionary<string, TensorSpec>(saved.Count, StringComparer.Ordinal);
        foreach (var s in saved)
        {
            if (s.Name is null || s.Shape is null) return $"{what} is invalid: a parameter without a name or shape.";
            if (!byName.TryAdd(s.Name, s)) return $"{what} is invalid: the {source} lists parameter '{s.Name}' twice.";
        }
        foreach (var m in model)
        {
            if (!byName.TryGetValue(m.Name, out var r))
                return $"{what} does not fit the model: the model's parameter '{m.Name}' is missing from the {source}.";
            if (!r.Shape.SequenceEqual(m.Shape))
                return $"{what} does not fit the model: parameter '{m.Name}' has shape {r.ShapeText} in the {source} but {m.ShapeText} in the model.";
            if (r.DType != m.DType)
                return $"{what} does not fit the model: parameter '{m.Name}' is {r.DType} in the {source} but {m.DType} in the model.";
        }
        var names = model.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var extra = saved.FirstOrDefault(r => !names.Contains(r.Name));
        return extra.Name is null ? null : $"{what} does not fit the model: the {source} has parameter '{extra.Name}', which the model does not.";
    }

    /// <summary>
    /// Reads the records from untrusted bytes: every length is bounded by what is left of the data, each record's dtype
    /// must be known, its rank at most <see cref="TensorSpec.MaxRank"/>, its byte count exactly what its shape and dtype
    /// need, and no name may repeat. With <paramref name="expected"/>, the records must be exactly those tensors, in that
    /// order (so nothing larger than they are is ever allocated).
    /// </summary>
    /// <param name="keep">False hashes the data without keeping it (and returns null).</param>
    /// <exception cref="InvalidDataException">A malformed record (the message names it).</exception>
    /// <exception cref="EndOfStreamException">The stream ends inside a record.</exception>
    public static StoredTensor[]? Read(VerifiedReader reader, IReadOnlyList<TensorSpec>? expected, bool keep)
    {
        int count = reader.ReadInt32("the tensor count");
        // Each record takes at least 13 bytes (empty name, dtype, rank, byte count), which bounds a corrupt count.
        if (count < 0 || count > reader.Remaining / 13)
            throw new InvalidDataException($"the tensor count {count} is impossible for the {reader.Remaining} bytes that follow");
        if (expected is not null && count != expected.Count)
            throw new InvalidDataException($"it holds {count} tensors, but its parameter list has {expected.Count}");
        var records = keep ? new StoredTensor[count] : null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString($"the name of tensor {i}", MaxNameBytes);
            if (!names.Add(name)) throw new InvalidDataException($"tensor '{name}' appears twice");
            int dtypeCode = reader.ReadInt32($"the dtype of tensor '{name}'");
            var dtype = (StoredDType)dtypeCode;
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
            if (keep) records![i] = new StoredTensor(name, dtype, shape, reader.ReadBytes(length, $"the data of tensor '{name}'"));
            else reader.Skip(length, $"the data of tensor '{name}'");
        }
        return records;
    }
}
