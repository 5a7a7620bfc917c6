using NodeDsl.Runtime.Training;

namespace SolverComparison;

/// <summary>One configuration of the comparison: a solver, a gradient method and a data spacing.</summary>
/// <param name="Solver">Solver registry name, e.g. "dopri5".</param>
public sealed record Configuration(string Solver, GradientKind Gradient, Spacing Spacing)
{
    /// <summary>The row label of the classic table, e.g. "DorPri5+Adjoint".</summary>
    public string Method => DisplayName(Solver) + Gradient switch
    {
        GradientKind.Adjoint => "+Adjoint",
        GradientKind.Checkpointed => "+Checkpointed",
        _ => "",
    };

    /// <summary>The classic study's spelling of a solver name.</summary>
    public static string DisplayName(string solver) => solver switch
    {
        "euler" => "Euler",
        "rk4" => "RK4",
        "bosh3" => "Bosh3",
        "dopri5" => "DorPri5",
        _ => solver,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Method} ({Spacing.ToString().ToLowerInvariant()})";
}

/// <summary>What training one configuration produced.</summary>
/// <param name="History">Metrics of every completed epoch (up to the failure, if any).</param>
/// <param name="TrainingSeconds">Wall-clock time of training (until the failure, if any).</param>
/// <param name="FinalMse">
/// The table's MSE: the trained model on windows of the training length that tile the trajectory (each started at the
/// true state) against the noise-free truth, with the configuration's solver and options; null when training or that
/// solve failed.
/// </param>
/// <param name="TrajectoryMse">
/// MSE of one solve over the whole trajectory from y0 (a 40× longer horizon than the windows) against the truth; null
/// when training or that solve failed.
/// </param>
/// <param name="Prediction">That whole-trajectory solve's states <c>[T, 2]</c>, or null.</param>
/// <param name="Failure">Why training stopped early (e.g. a non-finite state: the solver diverged), or null.</param>
/// <param name="PredictionFailure">Why a solve of the trained model (test windows or whole trajectory) failed, or null.</param>
public sealed record RunResult(
    Configuration Configuration,
    IReadOnlyList<EpochMetrics> History,
    double TrainingSeconds,
    double? FinalMse,
    double? TrajectoryMse,
    double[,]? Prediction,
    string? Failure,
    string? PredictionFailure)
{
    /// <summary>True when every epoch ran and the test windows gave a finite MSE.</summary>
    public bool Succeeded => Failure is null && FinalMse is { } m && double.IsFinite(m);

    /// <summary>Mean wall-clock seconds of the completed epochs (NaN when none completed).</summary>
    public double SecondsPerEpoch => History.Count == 0 ? double.NaN : History.Average(m => m.Seconds);

    /// <summary>
    /// Largest number of vector-field evaluations of one training step (forward solve plus, for the adjoints, the
    /// backward solves), the classic table's "Max NFE". Each epoch is one step here. Direct backprop calls the field only
    /// in the forward pass.
    /// </summary>
    public long MaxNfe => History.Count == 0 ? 0 : History.Max(m => m.ForwardEvaluations + (m.BackwardEvaluations ?? 0));

    /// <summary>Training loss of the first epoch (NaN when none completed).</summary>
    public double InitialLoss => History.Count == 0 ? double.NaN : History[0].Loss;

    /// <summary>Mean training loss of the last (up to) 10 epochs: single-batch losses are noisy.</summary>
    public double FinalLoss => History.Count == 0 ? double.NaN : History.TakeLast(10).Average(m => m.Loss);
}
