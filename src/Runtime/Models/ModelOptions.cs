using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Construction options of a generated model.</summary>
public sealed record ModelOptions
{
    /// <summary>Element type of parameters and networks; <c>y</c> passed to <c>Rates</c> must have it. float32 by default.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Device of parameters and networks; the CPU when null.</summary>
    public Device? Device { get; init; }

    /// <summary>Seed of the network initialisation: two models built with the same seed have identical weights.</summary>
    public long Seed { get; init; }

    /// <summary>float64 on the CPU: for checks against the scalar oracle.</summary>
    public static ModelOptions Float64(long seed = 0) => new() { DType = ScalarType.Float64, Seed = seed };
}
