using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeDsl.SideBySide;

/// <summary>
/// What both sides share, written by side_by_side.py: the true spiral at 1000 times, the window starts of every
/// iteration and the initial weights of the MLP (torchdiffeq's layout: weight <c>[out, in]</c>).
/// </summary>
public sealed record SideBySideSetup(
    [property: JsonPropertyName("times")] double[] Times,
    [property: JsonPropertyName("truth")] double[][] Truth,
    [property: JsonPropertyName("starts")] int[][] Starts,
    [property: JsonPropertyName("weights")] MlpWeights Weights)
{
    /// <summary>Reads the setup file.</summary>
    public static SideBySideSetup Load(string path)
        => JsonSerializer.Deserialize<SideBySideSetup>(File.ReadAllText(path))
           ?? throw new InvalidDataException($"{path} holds no setup.");
}

/// <summary>Weights and biases of the two layers, as nested arrays.</summary>
public sealed record MlpWeights(
    [property: JsonPropertyName("w1")] double[][] W1,
    [property: JsonPropertyName("b1")] double[] B1,
    [property: JsonPropertyName("w2")] double[][] W2,
    [property: JsonPropertyName("b2")] double[] B2);

/// <summary>One configuration to train, as side_by_side.py sends it.</summary>
public sealed record TrainingConfig(
    [property: JsonPropertyName("solver")] string Solver,
    [property: JsonPropertyName("gradient")] string Gradient,
    [property: JsonPropertyName("dtype")] string DType,
    [property: JsonPropertyName("rtol")] double RelativeTolerance,
    [property: JsonPropertyName("atol")] double AbsoluteTolerance,
    [property: JsonPropertyName("warmup")] int Warmup,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("controller")] string Controller = "default",
    [property: JsonPropertyName("trace_steps")] bool TraceSteps = false);

/// <summary>What one configuration measured; the field names match the torchdiffeq side's.</summary>
public sealed record TrainingMeasurement(
    [property: JsonPropertyName("s_per_iter")] double SecondsPerIteration,
    [property: JsonPropertyName("cpu_s_per_iter")] double CpuSecondsPerIteration,
    [property: JsonPropertyName("fwd_nfe")] double ForwardNfe,
    [property: JsonPropertyName("bwd_nfe")] double BackwardNfe,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("test_l1")] double TestL1);
