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
    /// Integrates with already validated arguments (see <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?)"/>,
    /// which validates and then calls this).
    /// </summary>
    OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options);
}
