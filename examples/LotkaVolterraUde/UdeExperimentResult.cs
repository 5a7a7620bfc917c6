using NodeDsl.Runtime.Training;

namespace LotkaVolterraUde;

/// <summary>How well one model (UDE or pure NODE) did.</summary>
/// <param name="Name">"UDE" or "NODE".</param>
/// <param name="InitialLoss">Training MSE before the first step.</param>
/// <param name="AdamLoss">Training MSE after the Adam phase.</param>
/// <param name="FinalLoss">Training MSE after L-BFGS.</param>
/// <param name="LbfgsNote">Why the L-BFGS phase was undone, or null when it was kept.</param>
/// <param name="TrainingRmse">RMSE against the noise-free truth on the training range.</param>
/// <param name="ExtrapolationRmse">RMSE against the truth on (training end, extrapolation end]; +∞ when the solve failed.</param>
/// <param name="ExtrapolationMaxError">Largest absolute error on the same range; +∞ when the solve failed.</param>
/// <param name="Prediction">Prediction <c>[T, 2]</c> at <see cref="UdeExperimentResult.Times"/>, NaN after a failed solve.</param>
/// <param name="History">Per-epoch metrics of both phases, Adam first.</param>
/// <param name="Seconds">Training wall-clock time.</param>
public sealed record ModelOutcome(
    string Name, double InitialLoss, double AdamLoss, double FinalLoss, string? LbfgsNote,
    double TrainingRmse, double ExtrapolationRmse, double ExtrapolationMaxError,
    double[,] Prediction, IReadOnlyList<EpochMetrics> History, double Seconds);

/// <summary>The learned interaction terms against the true −βxy and +γxy, evaluated on the true trajectory over the training range.</summary>
/// <param name="Times">Times of the evaluation points.</param>
/// <param name="TruePrey">−βxy.</param>
/// <param name="TruePredator">+γxy.</param>
/// <param name="LearnedPrey">The network's first output.</param>
/// <param name="LearnedPredator">The network's second output.</param>
public sealed record InteractionTerms(double[] Times, double[] TruePrey, double[] TruePredator, double[] LearnedPrey, double[] LearnedPredator)
{
    /// <summary>max |learned − true| of the prey term.</summary>
    public double MaxErrorPrey => TruePrey.Zip(LearnedPrey, (a, b) => System.Math.Abs(a - b)).Max();
    /// <summary>max |learned − true| of the predator term.</summary>
    public double MaxErrorPredator => TruePredator.Zip(LearnedPredator, (a, b) => System.Math.Abs(a - b)).Max();
    /// <summary>Largest error of both terms relative to the largest true magnitude of both.</summary>
    public double RelativeMaxError
        => System.Math.Max(MaxErrorPrey, MaxErrorPredator) / TruePrey.Concat(TruePredator).Max(System.Math.Abs);
}

/// <summary>Everything one run measured.</summary>
/// <param name="Times">Evaluation grid from 0 to the extrapolation end.</param>
/// <param name="Truth">Noise-free truth <c>[T, 2]</c> on <paramref name="Times"/>.</param>
/// <param name="ObservedTimes">Observation times.</param>
/// <param name="Observed">Noisy observations <c>[T, 2]</c>.</param>
/// <param name="Ude">The universal differential equation.</param>
/// <param name="Node">The pure neural ODE.</param>
/// <param name="Terms">The UDE's learned interaction terms.</param>
public sealed record UdeExperimentResult(
    double[] Times, double[,] Truth, double[] ObservedTimes, double[,] Observed,
    ModelOutcome Ude, ModelOutcome Node, InteractionTerms Terms, RecoveredModel Recovered);

/// <summary>Equations recovered from the UDE's learned terms by <see cref="SparseRegression"/>, and how they extrapolate.</summary>
/// <param name="PreyCoefficients">Coefficients of the prey term on <see cref="SparseRegression.Library"/> (truth: −0.9 on xy).</param>
/// <param name="PredatorCoefficients">Coefficients of the predator term (truth: +0.8 on xy).</param>
/// <param name="ExtrapolationRmse">RMSE against the truth on (training end, extrapolation end].</param>
/// <param name="ExtrapolationMaxError">Largest absolute error on the same range.</param>
/// <param name="Prediction">The recovered model's trajectory <c>[T, 2]</c> from the true initial state.</param>
public sealed record RecoveredModel(double[] PreyCoefficients, double[] PredatorCoefficients, double ExtrapolationRmse, double ExtrapolationMaxError, double[,] Prediction);
