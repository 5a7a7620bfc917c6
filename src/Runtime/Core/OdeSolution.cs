using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Counters of one solve.</summary>
public sealed record SolverStats
{
    /// <summary>Number of evaluations of the vector field (each on the whole batch).</summary>
    public int FunctionEvaluations { get; init; }
    /// <summary>Accepted steps.</summary>
    public int AcceptedSteps { get; init; }
    /// <summary>Rejected steps.</summary>
    public int RejectedSteps { get; init; }
    /// <summary>Jacobian evaluations (implicit methods only).</summary>
    public int JacobianEvaluations { get; init; }
    /// <summary>Matrix factorisations (implicit methods only).</summary>
    public int Factorizations { get; init; }
    /// <summary>
    /// Set when a stiffness-detecting method (<c>Solvers.Auto</c>) switched from its non-stiff to its stiff method: where
    /// and to what; null when it did not switch (or the method does not switch).
    /// </summary>
    public MethodSwitch? Switch { get; init; }

    /// <summary>The counters of two solves together (the switch is not carried over).</summary>
    internal SolverStats Plus(SolverStats other) => new()
    {
        FunctionEvaluations = FunctionEvaluations + other.FunctionEvaluations,
        AcceptedSteps = AcceptedSteps + other.AcceptedSteps,
        RejectedSteps = RejectedSteps + other.RejectedSteps,
        JacobianEvaluations = JacobianEvaluations + other.JacobianEvaluations,
        Factorizations = Factorizations + other.Factorizations,
    };
}

/// <summary>A switch between methods during a solve.</summary>
/// <param name="Time">The time at which the stiff method took over (the start of its first step).</param>
/// <param name="From">The method used before.</param>
/// <param name="To">The method used from <paramref name="Time"/> on.</param>
public readonly record struct MethodSwitch(double Time, string From, string To);

/// <summary>The result of a solve: values at the requested times and counters.</summary>
/// <param name="Ts">The output times, shape <c>[T]</c>.</param>
/// <param name="Ys">The states at the output times, shape <c>[T, batch, n]</c>; <c>Ys[0]</c> is the initial state.</param>
/// <param name="Stats">Function evaluations and step counts.</param>
public sealed record OdeSolution(Tensor Ts, Tensor Ys, SolverStats Stats)
{
    /// <summary>
    /// Set when the solve was asked for a <see cref="GradientMethod"/>: which one, and (after <c>backward()</c>) the
    /// counters of its backward pass.
    /// </summary>
    public GradientReport? Gradient { get; init; }
}
