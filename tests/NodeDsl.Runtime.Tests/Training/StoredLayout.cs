using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>
/// Byte-level surgery on weight files and checkpoints for the untrusted-input tests: where their length-like fields
/// are, how to overwrite one, how to re-seal a damaged file with a valid length and checksum (so that the damage reaches
/// the parser instead of the checksum test), and a weight-file writer that takes any JSON (as another tool might).
/// </summary>
internal static class StoredLayout
{
    /// <summary>An integer field: its name, offset and size in bytes (1, 4 or 8).</summary>
    public sealed record Field(string Name, int Offset, int Size);

    const int WeightHeader = 20, CheckpointHeader = 52, Checksum = 32;
    // Epoch, loss, validation flag and value, regulariser, learning rate, NFE, backward flag and value, seconds.
    const int MetricsBytes = 62;

    public static List<Field> WeightFileFields(byte[] file)
    {
        var fields = new List<Field> { new("body length", 12, 8), new("metadata length", WeightHeader, 4) };
        int p = WeightHeader + 4 + BitConverter.ToInt32(file, WeightHeader);
        Tensors(file, ref p, fields, "");
        return fields;
    }

    public static List<Field> CheckpointFields(byte[] file)
    {
        var fields = new List<Field> { new("payload length", 12, 8), new("epochs", CheckpointHeader, 4) };
        int p = CheckpointHeader + 4 + 8 + 32 + 8;
        fields.Add(new("best epoch", p, 4));
        fields.Add(new("epochs without improvement", p + 4, 4));
        p += 8;
        fields.Add(new("history length", p, 4));
        p += 4 + MetricsBytes * BitConverter.ToInt32(file, p);
        Tensors(file, ref p, fields, "");
        fields.Add(new("best-weights flag", p, 1));
        if (file[p++] == 1) Tensors(file, ref p, fields, "best ");
        fields.Add(new("optimizer type length", p, 1));
        p += 1 + file[p];
        fields.Add(new("optimizer state length", p, 4));
        return fields;
    }

    static void Tensors(byte[] file, ref int p, List<Field> fields, string prefix)
    {
        int count = BitConverter.ToInt32(file, p);
        fields.Add(new($"{prefix}tensor count", p, 4));
        p += 4;
        for (int i = 0; i < count; i++)
        {
            int nameLength = file[p];
            if (nameLength >= 0x80) throw new NotSupportedException("Names of 128 bytes or more have a longer length prefix.");
            string name = Encoding.UTF8.GetString(file, p + 1, nameLength);
            fields.Add(new($"{prefix}{name} name length", p, 1));
            p += 1 + nameLength;
            fields.Add(new($"{prefix}{name} dtype", p, 4));
            int rank = BitConverter.ToInt32(file, p + 4);
            fields.Add(new($"{prefix}{name} rank", p + 4, 4));
            p += 8;
            for (int d = 0; d < rank; d++, p += 8) fields.Add(new($"{prefix}{name} dimension {d}", p, 8));
            fields.Add(new($"{prefix}{name} byte count", p, 4));
            p += 4 + BitConverter.ToInt32(file, p);
        }
    }

    /// <summary>A copy of <paramref name="file"/> with <paramref name="field"/> set to <paramref name="value"/> (truncated to its size).</summary>
    public static byte[] WithValue(byte[] file, Field field, long value)
    {
        var copy = (byte[])file.Clone();
        var span = copy.AsSpan(field.Offset, field.Size);
        switch (field.Size)
        {
            case 1: span[0] = (byte)value; break;
            case 4: BinaryPrimitives.WriteInt32LittleEndian(span, unchecked((int)value)); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(span, value); break;
        }
        return copy;
    }

    /// <summary>Fixes a weight file's body length and checksum (the last 32 bytes) to match its bytes.</summary>
    public static byte[] SealWeightFile(byte[] file)
    {
        var copy = (byte[])file.Clone();
        if (copy.Length < WeightHeader + Checksum) return copy;
        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(12, 8), copy.Length - WeightHeader - Checksum);
        SHA256.HashData(copy.AsSpan(0, copy.Length - Checksum), copy.AsSpan(copy.Length - Checksum));
        return copy;
    }

    /// <summary>Fixes a checkpoint's payload length and checksum to match its bytes.</summary>
    public static byte[] SealCheckpoint(byte[] file)
    {
        var copy = (byte[])file.Clone();
        if (copy.Length < CheckpointHeader) return copy;
        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(12, 8), copy.Length - CheckpointHeader);
        SHA256.HashData(copy.AsSpan(CheckpointHeader), copy.AsSpan(20, 32));
        return copy;
    }

    /// <summary>A weight file with any metadata text and tensors, a valid header and a valid checksum.</summary>
    public static byte[] HandMadeWeightFile(string json, IReadOnlyList<TensorRecord> tensors)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("NODEDSLW"u8);
            writer.Write(1);
            writer.Write(0L);
            var utf8 = Encoding.UTF8.GetBytes(json);
            writer.Write(utf8.Length);
            writer.Write(utf8);
            NamedTensors.Write(writer, tensors);
            writer.Write(new byte[Checksum]);
        }
        return SealWeightFile(memory.ToArray());
    }
}

/// <summary>A read-only stream without a length (a network or decompression stream), counting the bytes it hands out.</summary>
internal sealed class UnseekableStream(Func<int, byte> source, long length) : Stream
{
    public UnseekableStream(byte[] bytes) : this(i => bytes[i], bytes.Length) { }

    /// <summary>Zeros without end.</summary>
    public static UnseekableStream Zeros() => new(_ => 0, long.MaxValue);

    public long Consumed { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, length - Consumed);
        for (int i = 0; i < n; i++) buffer[i] = source(checked((int)Math.Min(Consumed + i, int.MaxValue)));
        Consumed += n;
        return n;
    }
}
