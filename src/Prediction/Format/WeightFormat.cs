using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeDsl.Prediction.Format;

/// <summary>
/// The constants of the weight-file layout (version 1, little-endian): 8 bytes magic <c>NODEDSLW</c>, int32 format
/// version, int64 body length, the body (int32 length + UTF-8 JSON metadata, then the tensors: count, then per tensor
/// name, dtype, rank, shape, byte count, raw bytes), and last the SHA-256 of every byte before it.
/// </summary>
internal static class WeightFormat
{
    /// <summary>Version of the layout this build writes; it reads this version and older ones.</summary>
    public const int Version = 1;

    public static ReadOnlySpan<byte> Magic => "NODEDSLW"u8;
    public const int HeaderSize = 8 + 4 + 8;
    public const int ChecksumSize = 32;

    /// <summary>How the metadata is written and read as JSON.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Tolerances and ranges are finite in practice, but an infinite MaxStep-like value must not make saving fail.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
