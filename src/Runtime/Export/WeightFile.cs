using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Export;

/// <summary>
/// A trained model's weights and <see cref="WeightMetadata"/> in one self-checking file: what a surrogate library
/// embeds. Write with <see cref="WeightFileExtensions.SaveWeights"/>, load with <see cref="WeightFileExtensions.LoadWeights(TorchSharp.torch.nn.Module, string)"/>.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): 8 bytes magic <c>NODEDSLW</c>, int32 format version, int64 body length, the body
/// (int32 length + UTF-8 JSON metadata, then the tensors as in a checkpoint: count, then per tensor name, dtype,
/// rank, shape, byte count, raw bytes), and last the SHA-256 of every byte before it (header included).</para>
/// <para>The file is written atomically like a checkpoint (temporary file in the same folder, flushed to disk,
/// renamed over the target), so an interrupted write leaves the previous file intact.</para>
/// </remarks>
public sealed class WeightFile
{
    /// <summary>Version of the layout this build writes; it reads this version and older ones.</summary>
    public const int FormatVersion = 1;

    /// <summary>Customary file extension.</summary>
    public const string Extension = ".nodew";

    static ReadOnlySpan<byte> Magic => "NODEDSLW"u8;
    const int HeaderSize = 8 + 4 + 8;
    const int ChecksumSize = 32;

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Tolerances and ranges are finite in practice, but an infinite MaxStep-like value must not make saving fail.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    WeightFile(WeightMetadata metadata, IReadOnlyList<TensorRecord> tensors) => (Metadata, Tensors) = (metadata, tensors);

    /// <summary>The metadata.</summary>
    public WeightMetadata Metadata { get; }

    /// <summary>The saved parameters and buffers (host copies).</summary>
    public IReadOnlyList<TensorRecord> Tensors { get; }

    /// <summary>Writes <paramref name="metadata"/> and <paramref name="tensors"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, WeightMetadata metadata, IReadOnlyList<TensorRecord> tensors)
        => Write(path, metadata, tensors, stream => stream);

    /// <summary>As <see cref="Write(string, WeightMetadata, IReadOnlyList{TensorRecord})"/>; <paramref name="wrap"/> lets tests fail the write midway.</summary>
    internal static void Write(string path, WeightMetadata metadata, IReadOnlyList<TensorRecord> tensors, Func<Stream, Stream> wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Encode(metadata, tensors);
        CheckpointFile.WriteAtomically(path, file =>
        {
            var target = wrap(file);
            target.Write(bytes);
            target.Flush();
        });
    }

    /// <summary>The complete file contents.</summary>
    internal static byte[] Encode(WeightMetadata metadata, IReadOnlyList<TensorRecord> tensors)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tensors);
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(0L);                                  // body length, filled in below
            var json = JsonSerializer.SerializeToUtf8Bytes(metadata, Json);
            writer.Write(json.Length);
            writer.Write(json);
            NamedTensors.Write(writer, tensors);
        }
        long bodyLength = memory.Length - HeaderSize;
        var bytes = new byte[memory.Length + ChecksumSize];
        memory.ToArray().CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12, 8), bodyLength);
        SHA256.HashData(bytes.AsSpan(0, (int)memory.Length), bytes.AsSpan((int)memory.Length));
        return bytes;
    }

    /// <summary>Reads and verifies a weight file.</summary>
    /// <exception cref="WeightFileException">Missing, truncated, not a weight file, a newer format version, or corrupt.</exception>
    public static WeightFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new WeightFileException($"Weight file '{path}' does not exist. Check the path, or export the weights first with model.SaveWeights(path, metadata).");
        return Decode(File.ReadAllBytes(path), $"Weight file '{path}'");
    }

    /// <summary>Reads and verifies a weight file from <paramref name="stream"/> (e.g. an embedded resource) named <paramref name="source"/> in messages.</summary>
    /// <exception cref="WeightFileException">Truncated, not a weight file, a newer format version, or corrupt.</exception>
    public static WeightFile Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Decode(memory.ToArray(), $"Weight file '{source}'");
    }

    /// <summary>The metadata of a weight file (the whole file is verified first).</summary>
    /// <exception cref="WeightFileException">As <see cref="Read(string)"/>.</exception>
    public static WeightMetadata ReadMetadata(string path) => Read(path).Metadata;

    /// <summary>The metadata of a weight file read from <paramref name="stream"/>.</summary>
    public static WeightMetadata ReadMetadata(Stream stream, string source) => Read(stream, source).Metadata;

    internal static WeightFile Decode(byte[] bytes, string what)
    {
        const string reExport = "Export the weights again (model.SaveWeights) or restore the file from version control.";
        int prefix = System.Math.Min(bytes.Length, Magic.Length);
        if (!bytes.AsSpan(0, prefix).SequenceEqual(Magic[..prefix]))
        {
            string hint = bytes.AsSpan(0, prefix).SequenceEqual("NODEDSLC"u8[..prefix])
                ? " It is a training checkpoint: load it with TrainingCheckpoint.Load, or export the trained model with model.SaveWeights(path, metadata)."
                : " Pass a file written by model.SaveWeights (extension .nodew).";
            throw new WeightFileException($"{what} is not a NodeDsl weight file: its first bytes are not 'NODEDSLW'.{hint}");
        }
        if (bytes.Length < HeaderSize + ChecksumSize)
            throw new WeightFileException($"{what} is truncated: {bytes.Length} bytes, shorter than the {HeaderSize + ChecksumSize}-byte header and checksum. {reExport}");
        int version = BitConverter.ToInt32(bytes, 8);
        if (version > FormatVersion)
            throw new WeightFileException(
                $"{what} has format version {version}, newer than this build of NodeDsl.Runtime reads (up to {FormatVersion}). " +
                "Update NodeDsl.Runtime to the version that wrote it, or export the weights again with this version.");
        if (version < 1)
            throw new WeightFileException($"{what} has an invalid format version {version}; the header is corrupt. {reExport}");
        long body = BitConverter.ToInt64(bytes, 12);
        long expected = HeaderSize + body + ChecksumSize;
        if (body < 0 || expected != bytes.Length)
            throw new WeightFileException(bytes.Length < expected
                ? $"{what} is truncated: the header announces {expected} bytes but the file holds {bytes.Length}. {reExport}"
                : $"{what} has {bytes.Length - expected} unexpected trailing bytes (the header announces {expected}); it was altered after writing. {reExport}");
        int content = bytes.Length - ChecksumSize;
        if (!SHA256.HashData(bytes.AsSpan(0, content)).AsSpan().SequenceEqual(bytes.AsSpan(content)))
            throw new WeightFileException($"{what} is corrupt: its SHA-256 checksum does not match its contents. {reExport}");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, HeaderSize, (int)body), Encoding.UTF8);
            int jsonLength = reader.ReadInt32();
            if (jsonLength < 0 || jsonLength > body) throw new InvalidDataException($"metadata length {jsonLength}");
            var json = reader.ReadBytes(jsonLength);
            var metadata = JsonSerializer.Deserialize<WeightMetadata>(json, Json) ?? throw new InvalidDataException("null metadata");
            var tensors = NamedTensors.Read(reader);
            if (reader.BaseStream.Position != body) throw new InvalidDataException($"{body - reader.BaseStream.Position} unread bytes");
            CheckConsistent(metadata, tensors);
            return new WeightFile(metadata, tensors);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException or ArgumentException or NotSupportedException)
        {
            throw new WeightFileException(
                $"{what} has a valid checksum but unreadable contents ({e.Message}); it was written by an incompatible build. {reExport}", e);
        }
    }

    static void CheckConsistent(WeightMetadata metadata, IReadOnlyList<TensorRecord> tensors)
    {
        bool same = metadata.Parameters.Count == tensors.Count && metadata.Parameters.Zip(tensors).All(p =>
            p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape) && p.First.DType == p.Second.DType.ToString());
        if (!same) throw new InvalidDataException("the metadata's parameter list does not describe the stored tensors");
    }
}
