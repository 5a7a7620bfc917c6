namespace NodeDsl.Runtime.Classification;

/// <summary>
/// How an <see cref="OdeBlock"/> integrates its vector field: the time interval, the solver and its options, and how the
/// solve is differentiated.
/// </summary>
/// <remarks>
/// The defaults are Chen et al.'s (2018) ODE-Net: Dormand–Prince on t ∈ [0, 1] with rtol = atol = 1e-3 and the backsolve
/// adjoint (constant memory in the number of steps). Their RK-Net is the same block with <see cref="GradientMethod.Direct"/>:
/// the solver's steps are backpropagated, so memory grows with the number of evaluations.
/// </remarks>
public sealed record OdeBlockOptions
{
    /// <summary>Start of the integration interval (the block's input is the state at this time).</summary>
    public double StartTime { get; init; }
    /// <summary>End of the integration interval (the block's output is the state at this time).</summary>
    public double EndTime { get; init; } = 1.0;
    /// <summary>The method; fixed-step methods need <c>SolverOptions.StepSize</c>.</summary>
    public IOdeSolver Solver { get; init; } = Solvers.Dopri5;
    /// <summary>Tolerances and step sizes of the solve.</summary>
    public SolverOptions SolverOptions { get; init; } = new() { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3 };
    /// <summary>
    /// How gradients flow through the solve when the block is trained. The backsolve default is accurate for smooth fields
    /// (tanh, softplus); for a field with ReLU kinks its gradient converges to backprop's only at a low order and its
    /// backward solve takes many small steps — use <see cref="GradientMethod.Checkpointed"/> there (exact for the discrete
    /// solve, memory ∝ √steps; docs/odenet-images.md, "Which adjoint").
    /// </summary>
    public GradientMethod Gradient { get; init; } = GradientMethod.Backsolve();

    /// <summary>Throws with a remedy when the interval is empty or not finite.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Solver, nameof(Solver));
        ArgumentNullException.ThrowIfNull(SolverOptions, nameof(SolverOptions));
        ArgumentNullException.ThrowIfNull(Gradient, nameof(Gradient));
        if (!double.IsFinite(StartTime) || !double.IsFinite(EndTime) || StartTime == EndTime)
            throw new ArgumentException($"An ODE block integrates over [StartTime, EndTime] = [{StartTime}, {EndTime}]; give two different finite times (e.g. 0 and 1).");
    }
}
