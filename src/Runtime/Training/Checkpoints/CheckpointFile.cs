using System.Security.Cryptography;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// The container of a checkpoint: a header that makes truncation and corruption detectable, then the payload.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): 8 bytes magic <c>NODEDSLC</c>, int32 format version, int64 payload length,
/// 32 bytes SHA-256 of the payload, the payload.</para>
/// <para>Writes are atomic: the payload is streamed to a temporary file in the target's folder, the header is filled
/// in, the file is flushed to disk and then renamed over the target (<see cref="File.Move(string, string, bool)"/>),
/// so readers see the old file or the new one, never a mix. If writing fails, the temporary file is deleted and the
/// target is untouched; stale temporary files of interrupted writes are removed on the next write or load
/// (<see cref="AtomicFile"/>).</para>
/// <para>Reading treats the file as untrusted: the header is checked before anything else is read, every length is
/// bounded by the file's size, and a malformed payload is a <see cref="CheckpointException"/> naming the field.</para>
/// </remarks>
public static class CheckpointFile
{
    /// <summary>Version of the container and payload layout this build writes and reads.</summary>
    public const int FormatVersion = 1;

    static ReadOnlySpan<byte> Magic => "NODEDSLC"u8;
    const int HeaderSize = 8 + 4 + 8 + 32;

    /// <summary>Writes a checkpoint whose payload <paramref name="writePayload"/> produces, atomically.</summary>
    public static void Write(string path, Action<BinaryWriter> writePayload)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writePayload);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[HeaderSize]);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var hashing = new HashingStream(stream, hash))
            using (var writer = new BinaryWriter(hashing, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writePayload(writer);
                writer.Flush();
            }
            long length = stream.Length - HeaderSize;
            stream.Position = 0;
            using var header = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            header.Write(Magic);
            header.Write(FormatVersion);
            header.Write(length);
            header.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>Reads and verifies a checkpoint and returns its payload.</summary>
    /// <exception cref="CheckpointException">Missing, truncated, not a checkpoint, another format version, or checksum mismatch.</exception>
    public static byte[] ReadPayload(string path) => Read(path, reader => reader.ReadBytes(reader.Remaining, "the payload"));

    /// <summary>
    /// Reads a checkpoint in one pass: the header is checked first (magic, version, payload length against the file's
    /// size), then <paramref name="parse"/> reads the payload through a <see cref="VerifiedReader"/>, which bounds every
    /// length by the file and hashes as it goes; the checksum is compared at the end. When parsing fails, the rest is
    /// hashed to tell a corrupt file from one of another layout. Stale temporary files of interrupted writes are removed first.
    /// </summary>
    /// <exception cref="CheckpointException">Missing, truncated, not a checkpoint, another format version, corrupt, or a malformed payload.</exception>
    internal static T Read<T>(string path, Func<VerifiedReader, T> parse)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parse);
        if (!File.Exists(path)) throw new CheckpointException($"Checkpoint '{path}' does not exist.");
        AtomicFile.RemoveStaleTemporaries(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long size = stream.Length;
        var header = new byte[HeaderSize];
        int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (got < HeaderSize)
            throw new CheckpointException($"Checkpoint '{path}' is truncated: {size} bytes, shorter than the {HeaderSize}-byte header.");
        if (!header.AsSpan(0, 8).SequenceEqual(Magic))
            throw new CheckpointException($"'{path}' is not a NodeDsl checkpoint (its first bytes are not 'NODEDSLC').");
        int version = BitConverter.ToInt32(header, 8);
        if (version != FormatVersion)
            throw new CheckpointException($"Checkpoint '{path}' has format version {version}; this build reads version {FormatVersion}.");
        long length = BitConverter.ToInt64(header, 12);
        if (length < 0 || length != size - HeaderSize)
            throw new CheckpointException(
                $"Checkpoint '{path}' is truncated or has trailing bytes: the header announces {length} payload bytes but the file holds {size - HeaderSize}.");
        var checksum = header.AsSpan(20, 32).ToArray();
        using var reader = new VerifiedReader(stream, length, lengthVerified: true);
        T result;
        try
        {
            result = parse(reader);
            if (reader.Remaining != 0) throw new InvalidDataException($"{reader.Remaining} unread bytes after the payload");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            reader.Drain();
            if (!reader.Checksum().AsSpan().SequenceEqual(checksum)) throw Corrupt(path);
            throw new CheckpointException($"Checkpoint '{path}' has a valid checksum but an unreadable payload ({e.Message}); it was written by an incompatible build.", e);
        }
        if (!reader.Checksum().AsSpan().SequenceEqual(checksum)) throw Corrupt(path);
        return result;
    }

    static CheckpointException Corrupt(string path)
        => new($"Checkpoint '{path}' is corrupt: the SHA-256 checksum of its payload does not match the header.");

    /// <summary>Forwards writes to a stream and feeds them to a hash.</summary>
    sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
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
            hash.AppendData(buffer);
            inner.Write(buffer);
        }
    }
}
