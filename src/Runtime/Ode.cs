using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>The one entry point for solving ODEs.</summary>
/// <remarks>It sits on top of the runtime's layers (Core ← Solvers ← Gradients): it validates the arguments (Core), runs the
/// solver and wraps it in the gradient method (docs/architecture.md, "Runtime").</remarks>
public static class Ode
{
    /// <summary>
    /// Solves <c>dy/dt = f(t, y)</c> for a batch of initial states and returns the states at the output times.
    /// </summary>
    /// <param name="system">The vector field.</param>
    /// <param name="y0">Initial states, <c>[batch, n]</c>, floating point; their dtype and device are the solve's.</param>
    /// <param name="ts">Output times, <c>[T]</c> with T ≥ 2, strictly increasing or strictly decreasing, same dtype and device as <paramref name="y0"/>.</param>
    /// <param name="solver">The method, e.g. <c>Solvers.Dopri5</c>.</param>
    /// <param name="options">Tolerances, step sizes and limits; defaults when null.</param>
    /// <returns>States <c>[T, batch, n]</c> and statistics.</returns>
    /// <exception cref="OdeArgumentException">Bad shapes, dtypes, devices, times or options (each option is checked before any
    /// work and named in the message), or a first rates result whose dtype, shape or device differs from <paramref name="y0"/>'s.</exception>
    /// <exception cref="OdeSolverException">The integration failed (step-size underflow, non-finite state, max steps).</exception>
    /// <exception cref="BackwardFailedException">An earlier backward pass on this thread failed and nobody took the failure (<see cref="BackwardPass"/>).</exception>
    public static OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions? options = null)
    {
        BackwardPass.ThrowIfUnhandled();
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(solver);
        options ??= new SolverOptions();
        SolveArguments.Validate(y0, ts, solver, options);
        return NativeSolve.TrySolve(system, y0, ts, solver, options, gradient: null) ?? solver.Integrate(system, y0, ts, options);
    }

    /// <summary>
    /// Solves as <see cref="Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?)"/> and differentiates the result
    /// with <paramref name="gradient"/>: call <c>backward()</c> on a loss of <c>Ys</c> to get gradients with respect to
    /// <paramref name="y0"/>, <paramref name="ts"/> (when it requires grad), and the system's parameters and inputs
    /// (see <see cref="IRatesVjp.Parameters"/>; a plain system that captures tensors is wrapped with <see cref="AutogradRatesVjp.For"/>).
    /// </summary>
    /// <param name="gradient"><see cref="GradientMethod.Direct"/>, <see cref="GradientMethod.Backsolve"/> or <see cref="GradientMethod.Checkpointed"/>.</param>
    /// <remarks>
    /// A failure inside the backward pass of an adjoint method makes <c>backward()</c> throw; run it through
    /// <see cref="BackwardPass.Run"/> to get the original exception (see <see cref="BackwardPass"/>).
    /// </remarks>
    public static OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions? options, GradientMethod gradient)
    {
        BackwardPass.ThrowIfUnhandled();
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(gradient);
        options ??= new SolverOptions();
        SolveArguments.Validate(y0, ts, solver, options);
        gradient.Validate(solver, options);
        return NativeSolve.TrySolve(system, y0, ts, solver, options, gradient) ?? gradient.Solve(system, y0, ts, solver, options);
    }

    /// <inheritdoc cref="Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?)"/>
    public static OdeSolution Solve(OdeFunc rates, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions? options = null)
        => Solve(new DelegateOdeSystem(rates), y0, ts, solver, options);
}
