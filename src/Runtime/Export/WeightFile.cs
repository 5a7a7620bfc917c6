using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
    public const int FormatVersion = WeightFormat.Version;

    /// <summary>Customary file extension.</summary>
    public const string Extension = ".nodew";

    // The layout is defined once, in NodeDsl.Prediction (WeightFormat), which reads it without TorchSharp.
    internal static ReadOnlySpan<byte> Magic => WeightFormat.Magic;
    internal const int HeaderSize = WeightFormat.HeaderSize;
    internal const int ChecksumSize = WeightFormat.ChecksumSize;
    internal static JsonSerializerOptions Json => WeightFormat.Json;

    internal WeightFile(WeightMetadata metadata, IReadOnlyList<TensorRecord> tensors) => (Metadata, Tensors) = (metadata, tensors);

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
        AtomicFile.Write(path, file =>
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
        CheckWritable(metadata, tensors);
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

    /// <summary>
    /// Reads and verifies a weight file. The file is untrusted input: the header is checked before anything else is
    /// read, every length is bounded by the file and by the metadata, and every problem is a <see cref="WeightFileException"/>.
    /// </summary>
    /// <exception cref="WeightFileException">Missing, truncated, not a weight file, a newer format version, corrupt, or malformed (the message names the field).</exception>
    public static WeightFile Read(string path)
    {
        using var reader = Open(path);
        return Finish(reader);
    }

    /// <summary>Reads and verifies a weight file from <paramref name="stream"/> (e.g. an embedded resource) named <paramref name="source"/> in messages.</summary>
    /// <exception cref="WeightFileException">Truncated, not a weight file, a newer format version, corrupt, or malformed.</exception>
    public static WeightFile Read(Stream stream, string source)
    {
        using var reader = WeightFileReader.Open(stream, source);
        return Finish(reader);
    }

    /// <summary>The metadata of a weight file (the whole file is verified first; the tensors are not kept).</summary>
    /// <exception cref="WeightFileException">As <see cref="Read(string)"/>.</exception>
    public static WeightMetadata ReadMetadata(string path)
    {
        using var reader = Open(path);
        reader.Finish(keep: false);
        return reader.Metadata;
    }

    /// <summary>The metadata of a weight file read from <paramref name="stream"/>.</summary>
    public static WeightMetadata ReadMetadata(Stream stream, string source)
    {
        using var reader = WeightFileReader.Open(stream, source);
        reader.Finish(keep: false);
        return reader.Metadata;
    }

    /// <summary>Opens a weight file with the format's reader, after removing stale temporary files of interrupted writes next to it.</summary>
    internal static WeightFileReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path)) AtomicFile.RemoveStaleTemporaries(path);
        return WeightFileReader.Open(path);
    }

    /// <summary>Reads the tensors and checksum of an opened file, as this runtime's records.</summary>
    internal static WeightFile Finish(WeightFileReader reader) => new(reader.Metadata, reader.Finish().Select(NamedTensors.Record).ToArray());

    // What would not read back is refused before writing: invalid metadata, or a parameter list that does not describe the tensors.
    static void CheckWritable(WeightMetadata metadata, IReadOnlyList<TensorRecord> tensors)
    {
        if (WeightMetadataRules.Problem(metadata) is { } problem)
            throw new ArgumentException($"The metadata cannot be written: field {problem}.", nameof(metadata));
        var specs = WeightMetadataRules.Specs(metadata);
        for (int i = 0; i < Math.Max(specs.Length, tensors.Count); i++)
        {
            var t = i < tensors.Count ? tensors[i] : null;
            var s = i < specs.Length ? specs[i] : default;
            if (t is null || s.Name is null || t.Name != s.Name || NamedTensors.Stored(t.DType) != s.DType || !t.Shape.SequenceEqual(s.Shape) || t.Data?.LongLength != s.ByteCount)
                throw new ArgumentException(
                    $"The metadata's parameter list does not describe the tensors (first difference at entry {i}: " +
                    $"'{s.Name}' {s.DType} {(s.Shape is null ? "" : s.ShapeText)} vs '{t?.Name}' {t?.DType} {t?.ShapeText} with {t?.Data?.Length} bytes).", nameof(tensors));
        }
    }
}
