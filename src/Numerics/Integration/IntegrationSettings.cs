namespace NodeDsl.Numerics;

/// <summary>
/// The settings of one native solve, already validated by the runtime (its <c>SolverOptions</c>): tolerances (scalar or
/// one per state component, repeating over the rows), step bounds and limits.
/// </summary>
public sealed record IntegrationSettings
{
    /// <summary>Relative tolerance (adaptive methods).</summary>
    public double RelativeTolerance { get; init; } = 1e-6;
    /// <summary>Absolute tolerance (adaptive methods).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-8;
    /// <summary>Per-component relative tolerances (length = row width), or null.</summary>
    public double[]? RelativeTolerances { get; init; }
    /// <summary>Per-component absolute tolerances (length = row width), or null.</summary>
    public double[]? AbsoluteTolerances { get; init; }
    /// <summary>Step of fixed-step methods.</summary>
    public double? StepSize { get; init; }
    /// <summary>First step of adaptive methods; Hairer's starting-step heuristic when null.</summary>
    public double? FirstStep { get; init; }
    /// <summary>Largest step magnitude of adaptive methods.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;
    /// <summary>Largest number of steps, accepted and rejected.</summary>
    public int MaxSteps { get; init; } = 100_000;
}
