using NodeDsl.Runtime.Training;

namespace ParametrizedSurrogate;

/// <summary>Which question a viscosity answers.</summary>
public enum CaseKind
{
    /// <summary>A training viscosity (its (T_train, T_end] part is time extrapolation).</summary>
    Training,
    /// <summary>An unseen viscosity inside the training range.</summary>
    Interpolation,
    /// <summary>A viscosity outside the training range.</summary>
    OutOfRange,
}

/// <summary>Truth and surrogate prediction for one viscosity over [0, T_end].</summary>
/// <param name="Viscosity">μ = ν.</param>
/// <param name="Kind">Training, interpolation or out of range.</param>
/// <param name="Truth">Reference solution <c>[T, n]</c>.</param>
/// <param name="Prediction">Surrogate solution <c>[T, n]</c> from the same initial state; NaN when its solve failed.</param>
/// <param name="FitError">Relative L2 error ‖pred − truth‖/‖truth‖ over space and the times in [0, T_train].</param>
/// <param name="ExtrapolationError">Relative L2 error over the times in (T_train, T_end].</param>
/// <param name="ErrorByTime">Relative L2 error over space at each output time.</param>
public sealed record CaseResult(double Viscosity, CaseKind Kind, double[,] Truth, double[,] Prediction,
    double FitError, double ExtrapolationError, double[] ErrorByTime);

/// <summary>Everything one run measured.</summary>
/// <param name="Times">Output times from 0 to T_end.</param>
/// <param name="Grid">Grid coordinates.</param>
/// <param name="Cases">Training, interpolation and out-of-range viscosities, in that order.</param>
/// <param name="InitialLoss">Training MSE before the first step.</param>
/// <param name="FinalLoss">Training MSE after the last step (whole trajectories, no gradients).</param>
/// <param name="History">Per-epoch metrics.</param>
/// <param name="TrainingSeconds">Training wall-clock time.</param>
public sealed record SurrogateResult(double[] Times, double[] Grid, IReadOnlyList<CaseResult> Cases,
    double InitialLoss, double FinalLoss, IReadOnlyList<EpochMetrics> History, double TrainingSeconds)
{
    /// <summary>(a) Mean relative L2 error of the interpolation viscosities on [0, T_train].</summary>
    public double InterpolationError => Mean(CaseKind.Interpolation, c => c.FitError);
    /// <summary>(b) Mean relative L2 error of the training viscosities on (T_train, T_end].</summary>
    public double TimeExtrapolationError => Mean(CaseKind.Training, c => c.ExtrapolationError);
    /// <summary>(c) Mean relative L2 error of the out-of-range viscosities on [0, T_train].</summary>
    public double OutOfRangeError => Mean(CaseKind.OutOfRange, c => c.FitError);
    /// <summary>Mean relative L2 error of the training viscosities on [0, T_train] (the fit itself).</summary>
    public double TrainingFitError => Mean(CaseKind.Training, c => c.FitError);

    double Mean(CaseKind kind, Func<CaseResult, double> error)
    {
        var values = Cases.Where(c => c.Kind == kind).Select(error).ToArray();
        return values.Length == 0 ? double.NaN : values.Average();
    }
}
