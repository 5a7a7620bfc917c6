using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Discretise-then-optimise: the solver's steps are ordinary out-of-place tensor operations, so autograd records them
/// and <c>backward()</c> differentiates the discrete solution exactly. The graph holds every stage of every step.
/// </summary>
/// <remarks>
/// When the system lists its parameters and its rows stack (<see cref="IStageVjp"/>: generated models without custom
/// modules, inputs or time offsets), the state is small and the solver records its stages (explicit Runge–Kutta in batch
/// mode), the same gradient comes from one autograd node per solve whose backward is the discrete adjoint of the steps
/// (<see cref="StageAdjoint"/>): no graph of every stage, but one of all stages stacked, per block of steps.
/// </remarks>
internal sealed class DirectBackprop : GradientMethod
{
    public override string Name => "direct";

    internal override GradientKind Kind => GradientKind.Direct;

    public override OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        bool stages = StageAdjoint.Applies(system, y0, solver, options) && NeedsGraph(y0, ts, ((IRatesVjp)system).Parameters);
        if (!is_grad_enabled() || !ts.requires_grad)
            return Integrate(system, y0, ts, solver, options, stages) with { Gradient = new GradientReport(Name) };
        // The driver steps on host times, so ∂L/∂ts is added by the time-gradient nodes (see OutputTimeGradients).
        var anchored = OutputTimeGradients.AnchorInitialState(system, y0, ts);
        var solution = Integrate(system, anchored, ts, solver, options, stages);
        var ys = OutputTimeGradients.AttachOutputs(system, y0, solution.Ys, ts);
        return solution with { Ys = ys, Gradient = new GradientReport(Name) };
    }

    static OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options, bool stages)
        => stages ? StageAdjoint.Solve(system, y0, ts, (IStepLoopSolver)solver, options) : solver.Integrate(system, y0, ts, options);
}
