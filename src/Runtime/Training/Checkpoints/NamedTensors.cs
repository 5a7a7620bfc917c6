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
    /// the module's parameters and buffers (missing, extra, shape or dtype), in the module's order.
    /// </summary>
    public static void CheckMatches(IReadOnlyList<TensorRecord> records, nn.Module module, string what)
    {
        if (FirstMismatch(records, module, what, "checkpoint") is { } mismatch) throw new CheckpointException(mismatch);
    }

    /// <summary>
    /// The first difference between <paramref name="records"/> and the module's parameters and buffers (missing,
    /// shape, dtype in the module's order, then extra), worded for a file of kind <paramref name="source"/>
    /// (e.g. "checkpoint"), or null when they match. Shared with the weight files of <c>NodeDsl.Runtime.Export</c>.
    /// </summary>
    internal static string? FirstMismatch(IReadOnlyList<TensorRecord> records, nn.Module module, string what, string source)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(module);
        var saved = records.ToDictionary(r => r.Name);
        var current = module.state_dict();
        foreach (var (name, tensor) in current)
        {
            if (!saved.TryGetValue(name, out var r))
                return $"{what} does not fit the model: the model's parameter '{name}' is missing from the {source}.";
            if (!r.Shape.SequenceEqual(tensor.shape))
                return $"{what} does not fit the model: parameter '{name}' has shape {r.ShapeText} in the {source} but [{string.Join(", ", tensor.shape)}] in the model.";
            if (r.DType != tensor.dtype)
                return $"{what} does not fit the model: parameter '{name}' is {r.DType} in the {source} but {tensor.dtype} in the model.";
        }
        var extra = records.FirstOrDefault(r => !current.ContainsKey(r.Name));
        return extra is null ? null : $"{what} does not fit the model: the {source} has parameter '{extra.Name}', which the model does not.";
    }

    /// <summary>Copies the records into the module's parameters and buffers (call <see cref="CheckMatches"/> first).</summary>
    public static void Restore(IReadOnlyList<TensorRecord> records, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(module);
        var current = module.state_dict();
        using var noGrad = no_grad();
        foreach (var r in records)
        {
            var target = current[r.Name];
            using var host = torch.empty(r.Shape, r.DType);
            host.bytes = r.Data;
            target.copy_(host);
        }
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

    /// <summary>Reads records written by <see cref="Write"/>.</summary>
    public static IReadOnlyList<TensorRecord> Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException($"Negative tensor count {count}.");
        var records = new TensorRecord[count];
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            var dtype = (ScalarType)reader.ReadInt32();
            int rank = reader.ReadInt32();
            if (rank < 0 || rank > 64) throw new InvalidDataException($"Tensor '{name}' has rank {rank}.");
            var shape = new long[rank];
            for (int d = 0; d < rank; d++) shape[d] = reader.ReadInt64();
            int length = reader.ReadInt32();
            var data = reader.ReadBytes(length);
            if (data.Length != length) throw new EndOfStreamException($"Tensor '{name}' is cut short.");
            records[i] = new TensorRecord(name, dtype, shape, data);
        }
        return records;
    }
}
