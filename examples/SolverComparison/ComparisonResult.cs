namespace SolverComparison;

/// <summary>Everything a comparison run produced: the data of each spacing and one result per configuration.</summary>
public sealed record ComparisonResult(ComparisonOptions Options, IReadOnlyDictionary<Spacing, SpiralData> Data, IReadOnlyList<RunResult> Runs)
{
    /// <summary>The result of one configuration, or null when it was not part of the run.</summary>
    public RunResult? Find(string solver, GradientKind gradient, Spacing spacing)
        => Runs.FirstOrDefault(r => r.Configuration == new Configuration(solver, gradient, spacing));
}
