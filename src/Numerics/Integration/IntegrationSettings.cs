namespace NodeDsl.Numerics;

/// <summary>
/// Tolerances (scalar or one per state component, repeating over the rows), step bounds and limits of a solve: the
/// settings of one native solve, and the part of the runtime's <c>SolverOptions</c> (which derives from this record) that
/// every backend reads.
/// </summary>
public record IntegrationSettings
{
    /// <summary>Relative tolerance of adaptive methods.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;
    /// <summary>Absolute tolerance of adaptive methods.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-8;
    /// <summary>Per-component relative tolerances (length n, repeating over the rows); overrides <see cref="RelativeTolerance"/>.</summary>
    public double[]? RelativeTolerances { get; init; }
    /// <summary>Per-component absolute tolerances (length n, repeating over the rows); overrides <see cref="AbsoluteTolerance"/>.</summary>
    public double[]? AbsoluteTolerances { get; init; }
    /// <summary>Step size of fixed-step methods; required for them. Must be positive (the sign follows the time direction).</summary>
    public double? StepSize { get; init; }
    /// <summary>First step of adaptive methods; when null it is chosen by Hairer's algorithm.</summary>
    public double? FirstStep { get; init; }
    /// <summary>Largest step magnitude adaptive methods may take.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;
    /// <summary>Maximum number of steps (accepted + rejected) before the solve fails.</summary>
    public int MaxSteps { get; init; } = 100_000;
}
