using NodeDsl.Runtime.Ensembles;
using NodeDsl.Runtime.Training;

namespace AnchoredEnsembles;

/// <summary>Coverage and errors of one (prior variance, ensemble size) pair on one held-out set.</summary>
/// <param name="Coverage">Fraction of observations inside mean ± 2σ, per state (x, y).</param>
/// <param name="MeanSd">Mean predictive σ per state.</param>
/// <param name="Rmse">RMSE of the ensemble mean against the noise-free truth, both states.</param>
public sealed record HeldOutScore(double[] Coverage, double[] MeanSd, double Rmse);

/// <summary>One row of the coverage table.</summary>
/// <param name="PriorVariance">σ²_prior.</param>
/// <param name="Members">Ensemble size M (the first M members of the trained ensemble).</param>
/// <param name="Interpolation">Held-out observations inside the training window.</param>
/// <param name="Extrapolation">Held-out observations after the training window.</param>
/// <param name="TrainingMse">MSE of the ensemble mean against the training observations.</param>
public sealed record CoverageRow(double PriorVariance, int Members, HeldOutScore Interpolation, HeldOutScore Extrapolation, double TrainingMse);

/// <summary>One trained ensemble (one prior variance).</summary>
/// <param name="PriorVariance">σ²_prior.</param>
/// <param name="Members">Trained members.</param>
/// <param name="History">Per-epoch metrics (mean member loss and anchored penalty).</param>
/// <param name="Seconds">Training wall-clock time of the whole batched ensemble.</param>
/// <param name="Dense">Member trajectories <c>[M, T, 2]</c> on <see cref="ExperimentResult.DenseTimes"/>.</param>
public sealed record TrainedEnsemble(double PriorVariance, int Members, IReadOnlyList<EpochMetrics> History, double Seconds, double[,,] Dense);

/// <summary>Everything one run measured.</summary>
/// <param name="TrainTimes">Training observation times.</param>
/// <param name="Train">Training observations <c>[T, 2]</c>.</param>
/// <param name="InterpolationTimes">Held-out times inside the window.</param>
/// <param name="Interpolation">Held-out observations inside the window.</param>
/// <param name="ExtrapolationTimes">Held-out times after the window.</param>
/// <param name="Extrapolation">Held-out observations after the window.</param>
/// <param name="DenseTimes">Plot grid from 0 to the extrapolation end.</param>
/// <param name="Ensembles">One trained ensemble per prior variance.</param>
/// <param name="Rows">The coverage table.</param>
public sealed record ExperimentResult(
    double[] TrainTimes, double[,] Train, double[] InterpolationTimes, double[,] Interpolation,
    double[] ExtrapolationTimes, double[,] Extrapolation, double[] DenseTimes,
    IReadOnlyList<TrainedEnsemble> Ensembles, IReadOnlyList<CoverageRow> Rows)
{
    /// <summary>The row of a prior variance and size.</summary>
    public CoverageRow Row(double priorVariance, int members) => Rows.Single(r => r.PriorVariance == priorVariance && r.Members == members);

    /// <summary>The predictive distribution of the first <paramref name="members"/> members on the dense grid.</summary>
    public PredictiveDistribution Dense(double priorVariance, int members, double noiseVariance)
        => PredictiveDistribution.FromMembers(Ensembles.Single(e => e.PriorVariance == priorVariance).Dense, noiseVariance, members);
}
