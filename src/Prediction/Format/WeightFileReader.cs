using System.Text.Json;
using NodeDsl.Runtime.Export;

namespace NodeDsl.Prediction.Format;

/// <summary>
/// Reads a weight file as untrusted input, in one pass and in two steps: <see cref="Open(string)"/> checks the header
/// before reading anything else and reads the metadata; the caller may then check the metadata against its model
/// (<see cref="Reject"/>) before <see cref="Finish"/> reads the tensors, which must be exactly those the metadata lists.
/// So nothing larger than the model is ever allocated, whatever the length fields say.
/// </summary>
/// <remarks>
/// The SHA-256 checksum comes last in the file, so problems found while parsing are settled by hashing the rest: a
/// mismatching checksum is reported as corruption, a matching one as the problem itself. A stream without a length can
/// only be checked as it arrives: its problems are reported as found, and its memory grows with the bytes received.
/// </remarks>
internal sealed class WeightFileReader : IDisposable
{
    internal const string ReExport = "Export the weights again (model.SaveWeights) or restore the file from version control.";
    // The JSON metadata of a model with thousands of parameters is a few hundred KB; this bounds a corrupt length field.
    const int MaxMetadataBytes = 64 << 20;

    readonly Stream stream;
    readonly bool ownsStream;
    readonly VerifiedReader body;
    readonly long announced;

    WeightFileReader(Stream stream, bool ownsStream, string what, VerifiedReader body, long announced)
        => (this.stream, this.ownsStream, What, this.body, this.announced) = (stream, ownsStream, what, body, announced);

    /// <summary>"Weight file 'path'": how messages name the file.</summary>
    public string What { get; }

    /// <summary>The validated metadata.</summary>
    public WeightMetadata Metadata { get; private set; } = null!;

    /// <summary>Opens a weight file (the runtime first removes stale temporary files of interrupted writes next to it).</summary>
    /// <exception cref="WeightFileException">Missing, not a weight file, truncated, a newer format, or unreadable metadata.</exception>
    public static WeightFileReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string what = $"Weight file '{path}'";
        if (!File.Exists(path))
            throw new WeightFileException($"{what} does not exist. Check the path, or export the weights first with model.SaveWeights(path, metadata).");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try { return Open(stream, ownsStream: true, what, stream.Length); }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a weight file in <paramref name="stream"/> (read from its current position; not disposed).</summary>
    /// <inheritdoc cref="Open(string)"/>
    public static WeightFileReader Open(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long? size = null;
        try
        {
            if (stream.CanSeek) size = stream.Length - stream.Position;
        }
        catch (NotSupportedException) { }
        return Open(stream, ownsStream: false, $"Weight file '{source}'", size);
    }

    static WeightFileReader Open(Stream stream, bool ownsStream, string what, long? size)
    {
        var header = new byte[WeightFormat.HeaderSize];
        int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        int prefix = Math.Min(got, WeightFormat.Magic.Length);
        if (!header.AsSpan(0, prefix).SequenceEqual(WeightFormat.Magic[..prefix]))
        {
            string hint = header.AsSpan(0, prefix).SequenceEqual("NODEDSLC"u8[..prefix])
                ? " It is a training checkpoint: load it with TrainingCheckpoint.Load, or export the trained model with model.SaveWeights(path, metadata)."
                : " Pass a file written by model.SaveWeights (extension .nodew).";
            throw new WeightFileException($"{what} is not a NodeDsl weight file: its first bytes are not 'NODEDSLW'.{hint}");
        }
        const int minimum = WeightFormat.HeaderSize + WeightFormat.ChecksumSize;
        if (got < header.Length || size < minimum)
            throw new WeightFileException($"{what} is truncated: {size ?? got} bytes, shorter than the {minimum}-byte header and checksum. {ReExport}");
        int version = BitConverter.ToInt32(header, 8);
        if (version > WeightFormat.Version)
            throw new WeightFileException(
                $"{what} has format version {version}, newer than this build of NodeDsl reads (up to {WeightFormat.Version}). " +
                "Update NodeDsl.Runtime (or NodeDsl.Prediction) to the version that wrote it, or export the weights again with this version.");
        if (version < 1)
            throw new WeightFileException($"{what} has an invalid format version {version}; the header is corrupt. {ReExport}");
        long length = BitConverter.ToInt64(header, 12);
        if (length < 0 || length > long.MaxValue - minimum)
            throw new WeightFileException($"{what} has an invalid body length {length}; the header is corrupt. {ReExport}");
        long expected = minimum + length;
        if (size is { } total && total != expected)
            throw new WeightFileException(total < expected
                ? $"{what} is truncated: the header announces {expected} bytes but the file holds {total}. {ReExport}"
                : $"{what} has {total - expected} unexpected trailing bytes (the header announces {expected}); it was altered after writing. {ReExport}");

        var body = new VerifiedReader(stream, length, lengthVerified: size is not null);
        body.HashPrefix(header);
        var reader = new WeightFileReader(stream, ownsStream, what, body, expected);
        try
        {
            reader.Metadata = reader.ReadMetadata();
            return reader;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    WeightMetadata ReadMetadata()
    {
        try
        {
            int jsonLength = body.ReadInt32("the metadata length");
            if (jsonLength < 0 || jsonLength > MaxMetadataBytes)
                throw new InvalidDataException($"the metadata length {jsonLength} is impossible (at most {MaxMetadataBytes} bytes)");
            var json = body.ReadBytes(jsonLength, "the metadata");
            var metadata = JsonSerializer.Deserialize<WeightMetadata>(json, WeightFormat.Json) ?? throw new InvalidDataException("the metadata is null");
            if (WeightMetadataRules.Problem(metadata) is { } problem) throw new InvalidDataException($"its metadata field {problem}");
            return metadata;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException)
        {
            throw Unreadable(e);
        }
    }

    /// <summary>
    /// The exception for a problem the caller found in the metadata (e.g. it does not fit the model): a corruption
    /// message when the rest of the file does not match its checksum, else <paramref name="problem"/> itself.
    /// </summary>
    public WeightFileException Reject(string problem) => Settle() ?? new WeightFileException(problem);

    /// <summary>
    /// Reads the tensors, which must be exactly those <see cref="Metadata"/> lists, then the checksum; with
    /// <paramref name="keep"/> false they are only hashed (the result is empty).
    /// </summary>
    /// <exception cref="WeightFileException">Malformed tensors, a checksum mismatch, or bytes after the checksum.</exception>
    public StoredTensor[] Finish(bool keep = true)
    {
        StoredTensor[]? tensors;
        try
        {
            tensors = StoredTensors.Read(body, WeightMetadataRules.Specs(Metadata), keep);
            if (body.Remaining != 0) throw new InvalidDataException($"{body.Remaining} bytes follow the last tensor");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw Unreadable(e);
        }
        if (!ChecksumMatches()) throw Corrupt();
        // A stream without a length: the announced end must be the real one.
        if (!body.LengthVerified && stream.ReadByte() != -1)
            throw new WeightFileException($"{What} has unexpected trailing bytes after the {announced} bytes its header announces; it was altered after writing. {ReExport}");
        return tensors ?? [];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        body.Dispose();
        if (ownsStream) stream.Dispose();
    }

    WeightFileException Unreadable(Exception e)
    {
        if (e is EndOfStreamException)
            return new WeightFileException($"{What} is truncated: the stream ends before the {announced} bytes its header announces. {ReExport}", e);
        string found = e is JsonException ? $"its metadata is not valid JSON ({e.Message})" : e.Message;
        return Settle() ?? new WeightFileException(
            (body.LengthVerified ? $"{What} has a valid checksum but invalid contents: {found}"
                : $"{What} has invalid contents: {found} (its checksum could not be checked first: the stream has no length)") +
            $". It was not written by a compatible SaveWeights, or was changed afterwards. {ReExport}", e);
    }

    // Hashes what is left and compares the checksum: the corruption exception on a mismatch, null when the file is
    // intact (or, for a stream without a length, when that cannot be known without reading an unbounded stream).
    WeightFileException? Settle()
    {
        if (!body.LengthVerified) return null;
        try
        {
            body.Drain();
            return ChecksumMatches() ? null : Corrupt();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return new WeightFileException($"{What} is truncated: it ended while being read; was it changed meanwhile? {ReExport}", e);
        }
    }

    bool ChecksumMatches()
    {
        var stored = new byte[WeightFormat.ChecksumSize];
        try { stream.ReadExactly(stored); }
        catch (EndOfStreamException e)
        {
            throw new WeightFileException($"{What} is truncated: the stream ends before its checksum, {announced} bytes in. {ReExport}", e);
        }
        return body.Checksum().AsSpan().SequenceEqual(stored);
    }

    /// <summary>The exception for an assembly without the embedded weight file <paramref name="name"/>: its resources and the fix.</summary>
    public static WeightFileException MissingResource(System.Reflection.Assembly assembly, string name)
    {
        var available = assembly.GetManifestResourceNames();
        return new WeightFileException(
            $"The assembly {assembly.GetName().Name} has no embedded resource '{name}' (it has: {(available.Length == 0 ? "none" : string.Join(", ", available))}). " +
            "Add the weight file as <EmbeddedResource Include=\"Weights/….nodew\" LogicalName=\"" + name + "\" /> to the library's project, " +
            "and export it first if it does not exist yet.");
    }

    WeightFileException Corrupt() => new($"{What} is corrupt: its SHA-256 checksum does not match its contents. {ReExport}");
}
