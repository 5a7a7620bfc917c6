namespace NodeDsl.Numerics;

/// <summary>Why a native solve stopped (the runtime turns each into its typed solver exception with the same message).</summary>
public enum IntegrationFailureKind
{
    /// <summary>The state or rates became NaN or infinite.</summary>
    NonFiniteState,
    /// <summary>The step no longer advances t.</summary>
    StepSizeUnderflow,
    /// <summary>More steps (accepted and rejected) than allowed.</summary>
    MaxStepsExceeded,
}

/// <summary>A native solve failed; <see cref="Kind"/> says how, the other properties where.</summary>
public sealed class IntegrationFailureException(IntegrationFailureKind kind, double time, double stepSize, IReadOnlyList<long> rows, int maxSteps, double endTime)
    : Exception($"Native integration failed ({kind}) at t = {time:R}.")
{
    /// <summary>What failed.</summary>
    public IntegrationFailureKind Kind { get; } = kind;
    /// <summary>Time of the failure (the last accepted time).</summary>
    public double Time { get; } = time;
    /// <summary>The step that underflowed (<see cref="IntegrationFailureKind.StepSizeUnderflow"/>).</summary>
    public double StepSize { get; } = stepSize;
    /// <summary>Rows with non-finite values (<see cref="IntegrationFailureKind.NonFiniteState"/>).</summary>
    public IReadOnlyList<long> Rows { get; } = rows;
    /// <summary>The step limit (<see cref="IntegrationFailureKind.MaxStepsExceeded"/>).</summary>
    public int MaxSteps { get; } = maxSteps;
    /// <summary>The time the solve was heading for.</summary>
    public double EndTime { get; } = endTime;
}
