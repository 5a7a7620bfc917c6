using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>An <see cref="IOdeSolver"/> that runs a <see cref="OneStepMethod"/> in the shared step loop (<c>StepDriver</c>).</summary>
public sealed class OneStepSolver(OneStepMethod method) : IOdeSolver, IStepLoopSolver
{
    /// <summary>The step method.</summary>
    public OneStepMethod Method { get; } = method ?? throw new ArgumentNullException(nameof(method));

    /// <inheritdoc />
    public string Name => Method.Name;

    /// <inheritdoc />
    public int Order => Method.Order;

    /// <inheritdoc />
    public bool IsAdaptive => Method.IsAdaptive;

    /// <inheritdoc />
    public bool NeedsPhaseSpaceSplit => Method.NeedsPhaseSpaceSplit;

    /// <inheritdoc />
    public bool ReplaysToRoundoff => Method.ReplaysToRoundoff;

    /// <inheritdoc />
    public OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options)
        => StepDriver.Run(Method, system, y0, ts, options);

    bool IStepLoopSolver.Observable(SolverOptions options) => StepDriver.IsBatchMode(Method, options);

    OdeSolution IStepLoopSolver.Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StepObserver observer)
        => StepDriver.Run(Method, system, y0, ts, options, observer);

    NodeDsl.Numerics.RungeKuttaTableau? IStepLoopSolver.PlainTableau => Method.PlainTableau;

    ButcherTableau? IStepLoopSolver.StageTableau(SolverOptions options)
        => StepDriver.IsBatchMode(Method, options) ? Method.StageTableau : null;

    OdeSolution IStepLoopSolver.IntegrateRecordingStages(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StageTape tape)
        => StepDriver.Run(Method.RecordingStages(tape) ?? throw new InvalidOperationException($"{Name} cannot record its stages."),
            system, y0, ts, options, tape);

    bool IStepLoopSolver.Replayable(SolverOptions options) => Method.IsSelfStarting && StepDriver.IsBatchMode(Method, options);

    StepReplay.Result IStepLoopSolver.Replay(IOdeSystem system, Tensor y, Tensor f, StepLog log, int first, int end, SolverOptions options,
        SolveCounters counters, bool withEndRates)
        => StepReplay.Run(Method, system, y, f, log, first, end, options, counters, withEndRates);

    /// <inheritdoc />
    public override string ToString() => Name;
}
