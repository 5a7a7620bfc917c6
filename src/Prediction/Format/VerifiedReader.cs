using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NodeDsl.Prediction.Format;

/// <summary>
/// Reads the region of a checkpoint or weight file that its SHA-256 checksum covers, treating every field as untrusted:
/// each byte read is hashed, no read passes the end of the region, and no allocation exceeds what is left of it, so a
/// corrupt length field fails as "runs past the end" instead of allocating gigabytes. Structural problems are
/// <see cref="InvalidDataException"/>s whose message names the field; the caller decides, with <see cref="Drain"/> and
/// the checksum, whether the file is corrupt or merely of an unexpected layout.
/// </summary>
/// <remarks>
/// When the region's length could not be checked against the file (a stream without a length), it is only the header's
/// claim: blocks are then read in chunks, so memory grows with the bytes that actually arrive, not with the claim.
/// </remarks>
internal sealed class VerifiedReader : IDisposable
{
    const int Chunk = 1 << 20;
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly Stream stream;
    readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly byte[] scratch = new byte[8];

    /// <param name="stream">Positioned at the start of the region.</param>
    /// <param name="length">Bytes in the region, as announced.</param>
    /// <param name="lengthVerified">True when the stream is known to hold that many bytes (a file whose size was checked).</param>
    public VerifiedReader(Stream stream, long length, bool lengthVerified)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        (this.stream, Remaining, LengthVerified) = (stream, length, lengthVerified);
    }

    /// <summary>Bytes of the region not read yet.</summary>
    public long Remaining { get; private set; }

    /// <summary>True when the region's length was checked against the file.</summary>
    public bool LengthVerified { get; }

    /// <summary>Adds bytes read before the region (a header the checksum also covers) to the hash.</summary>
    public void HashPrefix(ReadOnlySpan<byte> bytes) => hash.AppendData(bytes);

    /// <summary>SHA-256 of the prefix and of everything read so far.</summary>
    public byte[] Checksum() => hash.GetCurrentHash();

    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Fill(4, field));
    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Fill(8, field));
    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Fill(8, field));
    public double ReadDouble(string field) => BinaryPrimitives.ReadDoubleLittleEndian(Fill(8, field));

    /// <summary>A <see cref="BinaryWriter.Write(bool)"/> byte: 0 or 1, nothing else.</summary>
    public bool ReadBoolean(string field)
    {
        byte value = Fill(1, field)[0];
        return value <= 1 ? value == 1 : throw new InvalidDataException($"{field} is {value}, not a boolean (0 or 1)");
    }

    /// <summary>A <see cref="BinaryWriter.Write(string)"/> string (7-bit encoded byte count, UTF-8) of at most <paramref name="maxBytes"/> bytes.</summary>
    public string ReadString(string field, int maxBytes)
    {
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 28) throw new InvalidDataException($"{field} has a malformed length prefix");
            byte b = Fill(1, field)[0];
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        if (length < 0 || length > maxBytes)
            throw new InvalidDataException($"{field} announces {(uint)length} bytes, more than the {maxBytes} allowed");
        var bytes = ReadBytes(length, field);
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw new InvalidDataException($"{field} is not valid UTF-8"); }
    }

    /// <summary><paramref name="count"/> bytes, after checking that the region still holds them.</summary>
    public byte[] ReadBytes(long count, string field)
    {
        CheckLength(count, field);
        if (LengthVerified || count <= Chunk)
        {
            var data = new byte[count];
            ReadInto(data, field);
            return data;
        }
        // Unverified claim: allocate as the bytes arrive, so a stream that ends early costs only what it delivered.
        using var buffer = new MemoryStream(Chunk);
        var chunk = new byte[Chunk];
        for (long left = count; left > 0;)
        {
            int n = (int)Math.Min(left, Chunk);
            ReadInto(chunk.AsSpan(0, n), field);
            buffer.Write(chunk, 0, n);
            left -= n;
        }
        return buffer.ToArray();
    }

    /// <summary>Hashes <paramref name="count"/> bytes without keeping them.</summary>
    public void Skip(long count, string field)
    {
        CheckLength(count, field);
        var chunk = new byte[(int)Math.Min(count, Chunk)];
        for (long left = count; left > 0;)
        {
            int n = (int)Math.Min(left, chunk.Length);
            ReadInto(chunk.AsSpan(0, n), field);
            left -= n;
        }
    }

    /// <summary>Hashes the rest of the region (to decide whether a malformed file is corrupt).</summary>
    public void Drain() => Skip(Remaining, "the rest of the data");

    /// <inheritdoc />
    public void Dispose() => hash.Dispose();

    void CheckLength(long count, string field)
    {
        if (count < 0) throw new InvalidDataException($"{field} has a negative length ({count})");
        if (count > Remaining) throw new InvalidDataException($"{field} announces {count} bytes but only {Remaining} are left");
        if (count > Array.MaxLength) throw new InvalidDataException($"{field} announces {count} bytes, more than one array can hold");
    }

    ReadOnlySpan<byte> Fill(int count, string field)
    {
        if (count > Remaining) throw new InvalidDataException($"{field} runs past the end of the data ({Remaining} bytes left, {count} needed)");
        var span = scratch.AsSpan(0, count);
        ReadInto(span, field);
        return span;
    }

    void ReadInto(Span<byte> buffer, string field)
    {
        if (buffer.Length > Remaining) throw new InvalidDataException($"{field} runs past the end of the data");
        // An early end of the stream surfaces as EndOfStreamException: the file is shorter than its header says.
        stream.ReadExactly(buffer);
        hash.AppendData(buffer);
        Remaining -= buffer.Length;
    }
}
