using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The capability of a solver whose steps run in the shared step loop (<see cref="StepDriver"/>): the gradient methods
/// subscribe observers to it (a step log, state jumps) and replay its logged steps. <see cref="OneStepSolver"/> declares
/// it for every <see cref="OneStepMethod"/>; a solver without it still works with every gradient method, through the
/// paths that only need <see cref="IOdeSolver.Integrate"/> (one solve per output interval or per checkpoint segment).
/// </summary>
internal interface IStepLoopSolver : IOdeSolver
{
    /// <summary>True when a solve with <paramref name="options"/> runs in batch mode, where it takes an observer.</summary>
    bool Observable(SolverOptions options);

    /// <summary>Integrates as <see cref="IOdeSolver.Integrate"/>, with <paramref name="observer"/> subscribed (requires <see cref="Observable"/>).</summary>
    OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StepObserver observer);

    /// <summary>
    /// True when a logged solve with <paramref name="options"/> can be replayed from any accepted step (<see cref="Replay"/>):
    /// batch mode and a self-starting method (no history of past steps).
    /// </summary>
    bool Replayable(SolverOptions options);

    /// <summary>
    /// The method's coefficients as plain data when it is an explicit Runge–Kutta method that the native integrator
    /// (NodeDsl.Numerics) can run — one error estimate, dense output from the stages — else null.
    /// </summary>
    NodeDsl.Numerics.RungeKuttaTableau? PlainTableau { get; }

    /// <summary>
    /// The coefficients when a solve with <paramref name="options"/> can record its stage states for the discrete adjoint
    /// of its steps (<see cref="IntegrateRecordingStages"/>): an explicit Runge–Kutta method whose dense output uses only
    /// its own stages, in batch mode; else null.
    /// </summary>
    ButcherTableau? StageTableau(SolverOptions options);

    /// <summary>Integrates as <see cref="IOdeSolver.Integrate"/>, recording every accepted step's stage states on <paramref name="tape"/> (requires <see cref="StageTableau"/>).</summary>
    OdeSolution IntegrateRecordingStages(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StageTape tape);

    /// <summary>Redoes logged steps <c>[first, end)</c> (see <see cref="StepReplay.Run"/>; requires <see cref="Replayable"/>).</summary>
    StepReplay.Result Replay(IOdeSystem system, Tensor y, Tensor f, StepLog log, int first, int end, SolverOptions options,
        SolveCounters counters, bool withEndRates);
}
