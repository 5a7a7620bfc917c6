using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// How gradients of a loss on the solution flow back to <c>y0</c>, the system's parameters, inputs and the output times.
/// Pass one to <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?, GradientMethod)"/>, then call
/// <c>loss.backward()</c> as usual. See docs/gradients.md for when to use which.
/// </summary>
public abstract class GradientMethod
{
    /// <summary>Backpropagation through the solver's own operations: exact for the discretisation, memory grows with the steps.</summary>
    public static GradientMethod Direct { get; } = new DirectBackprop();

    /// <summary>Chen et al.'s backsolve adjoint: constant memory, gradient accurate to the backward solve's tolerance.</summary>
    /// <exception cref="OdeArgumentException">An option is NaN, negative or otherwise invalid.</exception>
    public static GradientMethod Backsolve(AdjointOptions? options = null)
    {
        options ??= new AdjointOptions();
        options.Validate();
        return new BacksolveAdjoint(options);
    }

    /// <summary>Checkpointed adjoint: exact for the discretisation, memory bounded by one segment's graph plus the checkpoints.</summary>
    /// <exception cref="OdeArgumentException">A segment length is negative or zero.</exception>
    public static GradientMethod Checkpointed(CheckpointOptions? options = null)
    {
        options ??= new CheckpointOptions();
        options.Validate();
        return new CheckpointedAdjoint(options);
    }

    /// <summary>Short name, e.g. "backsolve".</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Solves with already validated arguments and wires the result into autograd; <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?, GradientMethod)"/>
    /// validates and then calls this.
    /// </summary>
    public abstract OdeSolution Solve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options);

    /// <summary>
    /// Checks this method's own options against the forward <paramref name="solver"/> and <paramref name="options"/>
    /// before the solve (a problem found inside <c>backward()</c> would surface far from its cause).
    /// </summary>
    /// <exception cref="OdeArgumentException">The combination cannot work.</exception>
    internal virtual void Validate(IOdeSolver solver, SolverOptions options) { }

    /// <summary>
    /// Which of the three gradients this method computes, so that a backend that implements them itself (the native
    /// kernels) can run it; <see cref="GradientKind.Other"/> (the default) for any other method.
    /// </summary>
    internal virtual GradientKind Kind => GradientKind.Other;

    /// <summary>The options of the backward solve of a <see cref="GradientKind.Backsolve"/> method; null otherwise.</summary>
    internal virtual AdjointOptions? Adjoint => null;

    /// <summary>True when a backward pass could reach any of these tensors (grad mode on and one of them requires grad).</summary>
    internal static bool NeedsGraph(Tensor y0, Tensor ts, IEnumerable<Tensor> parameters)
        => is_grad_enabled() && (y0.requires_grad || ts.requires_grad || parameters.Any(p => p.requires_grad));
}

/// <summary>The gradient a <see cref="GradientMethod"/> computes (<see cref="GradientMethod.Kind"/>).</summary>
internal enum GradientKind
{
    /// <summary>A method no other backend implements.</summary>
    Other,
    /// <summary>Exact discrete gradient by backpropagation through the steps.</summary>
    Direct,
    /// <summary>Chen et al.'s backward solve of the adjoint system.</summary>
    Backsolve,
    /// <summary>Exact discrete gradient, steps recomputed from checkpoints.</summary>
    Checkpointed,
}
