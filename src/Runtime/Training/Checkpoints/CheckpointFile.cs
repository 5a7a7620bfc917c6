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
/// target is untouched.</para>
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
        WriteAtomically(path, stream =>
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

    /// <summary>
    /// Creates <paramref name="path"/> atomically: <paramref name="write"/> fills a temporary file in the same folder,
    /// which is flushed to disk and renamed over the target; if anything throws, the temporary file is deleted and the
    /// target is untouched. Shared with the weight files of <c>NodeDsl.Runtime.Export</c>.
    /// </summary>
    internal static void WriteAtomically(string path, Action<FileStream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        // Same folder: the final rename never crosses file systems, so it is atomic.
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Reads and verifies a checkpoint and returns its payload.</summary>
    /// <exception cref="CheckpointException">Missing, truncated, not a checkpoint, another format version, or checksum mismatch.</exception>
    public static byte[] ReadPayload(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new CheckpointException($"Checkpoint '{path}' does not exist.");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderSize)
            throw new CheckpointException($"Checkpoint '{path}' is truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header.");
        if (!bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new CheckpointException($"'{path}' is not a NodeDsl checkpoint (its first bytes are not 'NODEDSLC').");
        int version = BitConverter.ToInt32(bytes, 8);
        if (version != FormatVersion)
            throw new CheckpointException($"Checkpoint '{path}' has format version {version}; this build reads version {FormatVersion}.");
        long length = BitConverter.ToInt64(bytes, 12);
        if (length < 0 || HeaderSize + length != bytes.Length)
            throw new CheckpointException(
                $"Checkpoint '{path}' is truncated or has trailing bytes: the header announces {length} payload bytes but the file holds {bytes.Length - HeaderSize}.");
        var payload = bytes.AsSpan(HeaderSize).ToArray();
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(20, 32)))
            throw new CheckpointException($"Checkpoint '{path}' is corrupt: the SHA-256 checksum of its payload does not match the header.");
        return payload;
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

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
