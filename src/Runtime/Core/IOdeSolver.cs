using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A method that integrates <c>dy/dt = f(t, y)</c> from <c>ts[0]</c> through every output time.
/// Instances are stateless and thread-safe; get them from the <c>Solvers</c> registry.
/// </summary>
public interface IOdeSolver
{
    /// <summary>Registry name, e.g. "dopri5".</summary>
    string Name { get; }
    /// <summary>Nominal order of accuracy of the propagated solution.</summary>
    int Order { get; }
    /// <summary>True for methods with an error estimate and step-size control.</summary>
    bool IsAdaptive { get; }

    /// <summary>
    /// True when the method updates coordinates and momenta separately and so needs a state that splits into them
    /// (partitioned symplectic methods such as leapfrog): it cannot integrate other systems, e.g. the backsolve adjoint's
    /// augmented one, which then uses RK4 with the same step. False by default.
    /// </summary>
    bool NeedsPhaseSpaceSplit => false;

    /// <summary>
    /// True (the default) when solving again from a stored state with the same options reproduces the first solve to
    /// round-off; false for methods that keep Newton state across steps, whose re-solve agrees to the Newton tolerance
    /// (the checkpointed adjoint checks its replays accordingly).
    /// </summary>
    bool ReplaysToRoundoff => true;

    /// <summary>
    /// Integrates with already validated arguments (see <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?)"/>,
    /// which validates and then calls this).
    /// </summary>
    OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options);
}
