using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Discretise-then-optimise: the solver's steps are ordinary out-of-place tensor operations, so autograd records them
/// and <c>backward()</c> differentiates the discrete solution exactly. The graph holds every stage of every step.
/// </summary>
internal sealed class DirectBackprop : GradientMethod
{
    public override string Name => "direct";

    internal override GradientKind Kind => GradientKind.Direct;

    public override OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        if (!is_grad_enabled() || !ts.requires_grad)
            return solver.Integrate(system, y0, ts, options) with { Gradient = new GradientReport(Name) };
        // The driver steps on host times, so ∂L/∂ts is added by the time-gradient nodes (see OutputTimeGradients).
        var anchored = OutputTimeGradients.AnchorInitialState(system, y0, ts);
        var solution = solver.Integrate(system, anchored, ts, options);
        var ys = OutputTimeGradients.AttachOutputs(system, y0, solution.Ys, ts);
        return solution with { Ys = ys, Gradient = new GradientReport(Name) };
    }
}
