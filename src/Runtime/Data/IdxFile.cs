using System.Buffers.Binary;
using System.IO.Compression;

namespace NodeDsl.Runtime.Data;

/// <summary>An array read from an IDX file: its dimensions and its unsigned bytes in row-major order.</summary>
/// <param name="Shape">Sizes of the dimensions, e.g. <c>[60000, 28, 28]</c> for MNIST's training images.</param>
/// <param name="Data">The values, row-major, <c>∏ Shape</c> of them.</param>
public sealed record IdxArray(int[] Shape, byte[] Data);

/// <summary>
/// Reads and writes the IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header (two zero bytes, the
/// element type, the number of dimensions, one 32-bit size per dimension) followed by the values. Files may be gzipped
/// (<c>*.gz</c>, as distributed and as Debian's <c>dataset-fashion-mnist</c> installs them): the gzip magic is detected.
/// </summary>
/// <remarks>Only unsigned bytes (type 0x08) are supported: the element type of every MNIST-family file.</remarks>
public static class IdxFile
{
    const byte UnsignedByte = 0x08;

    /// <summary>Reads <paramref name="path"/> (plain or gzipped).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an IDX file of unsigned bytes, or is truncated.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads an IDX array from <paramref name="stream"/> (plain or gzipped); <paramref name="name"/> names it in error messages.</summary>
    public static IdxArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffered = new BufferedStream(stream, 1 << 16);
        Stream source = IsGzip(buffered) ? new GZipStream(buffered, CompressionMode.Decompress, leaveOpen: true) : buffered;
        try
        {
            Span<byte> magic = stackalloc byte[4];
            ReadExactly(source, magic, name, "header");
            if (magic[0] != 0 || magic[1] != 0)
                throw new InvalidDataException($"'{name}' is not an IDX file: it must start with two zero bytes, then the type and the number of dimensions.");
            if (magic[2] != UnsignedByte)
                throw new InvalidDataException($"'{name}' holds IDX element type 0x{magic[2]:X2}; only unsigned bytes (0x08), the type of the MNIST-family files, are supported.");
            int dims = magic[3];
            if (dims < 1) throw new InvalidDataException($"'{name}' declares {dims} dimensions; an IDX array has at least one.");
            var shape = new int[dims];
            Span<byte> size = stackalloc byte[4];
            long count = 1;
            for (int d = 0; d < dims; d++)
            {
                ReadExactly(source, size, name, $"size of dimension {d}");
                shape[d] = BinaryPrimitives.ReadInt32BigEndian(size);
                if (shape[d] < 0) throw new InvalidDataException($"'{name}' declares a negative size {shape[d]} for dimension {d}.");
                count *= shape[d];
            }
            if (count > Array.MaxLength) throw new InvalidDataException($"'{name}' declares {count} values, more than one array can hold.");
            var data = new byte[count];
            ReadExactly(source, data, name, $"{count} values of shape [{string.Join(", ", shape)}]");
            return new IdxArray(shape, data);
        }
        finally
        {
            if (!ReferenceEquals(source, buffered)) source.Dispose();
        }
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>, gzipped when the name ends in <c>.gz</c>.</summary>
    public static void Write(string path, IdxArray array)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(array);
        if (array.Shape.Length is < 1 or > 255 || array.Shape.Any(s => s < 0))
            throw new ArgumentException($"An IDX array needs 1 to 255 non-negative dimensions, not [{string.Join(", ", array.Shape)}].", nameof(array));
        if (array.Shape.Aggregate(1L, (p, s) => p * s) != array.Data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", array.Shape)}] holds {array.Shape.Aggregate(1L, (p, s) => p * s)} values but Data has {array.Data.Length}.", nameof(array));
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var file = File.Create(path);
        using Stream target = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.SmallestSize) : file;
        target.Write([0, 0, UnsignedByte, (byte)array.Shape.Length]);
        Span<byte> size = stackalloc byte[4];
        foreach (int s in array.Shape)
        {
            BinaryPrimitives.WriteInt32BigEndian(size, s);
            target.Write(size);
        }
        target.Write(array.Data);
    }

    static bool IsGzip(BufferedStream stream)
    {
        Span<byte> head = stackalloc byte[2];
        long start = stream.Position;
        int read = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 2 && head[0] == 0x1F && head[1] == 0x8B;
    }

    static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new InvalidDataException($"'{name}' ends after {read} of the {buffer.Length} bytes of its {what}; the file is truncated or not an IDX file.");
    }
}
