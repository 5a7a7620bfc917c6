using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The three-stage Radau IIA method of order 5 (stiffly accurate, L-stable) as implemented in Hairer &amp; Wanner's RADAU5
/// (Solving ODEs II, §IV.8), batched over trajectories: simplified Newton on the transformed stage equations (one real and
/// one complex <c>n×n</c> LU per row, <see cref="RadauIterationMatrices"/>), start values extrapolated from the previous
/// step's collocation polynomial, RADAU5's filtered error estimate of order 3, and that polynomial as dense output.
/// </summary>
/// <remarks>
/// <para>Cost per step: one vector-field evaluation per stage and Newton iteration (three per iteration, usually one to
/// three iterations), one device sync per iteration, plus the driver's evaluation at the step end; a Jacobian and a pair
/// of factorisations only when needed: the Jacobian is kept while Newton converges fast (<see cref="JacobianReuse"/>) and
/// the factors while the step changes by less than <see cref="FactorizationReuse{TFactors}.MaxRatio"/>. A Newton failure
/// with an old Jacobian is retried with a fresh one before the step is rejected. On the first step and after a rejection
/// the error estimate is refined with one more evaluation (RADAU5's rule for stiff components).</para>
/// <para>Gradients: see <see cref="StageDifferentiation"/>. The kept Jacobian, factors and start values make a step
/// depend on earlier steps at the Newton tolerance, so a replay (checkpointed adjoint) reproduces the forward states to
/// that tolerance, not to round-off (<see cref="OneStepMethod.ReplaysToRoundoff"/>).</para>
/// </remarks>
public sealed class Radau5 : OneStepMethod, IKernelStiffMethod
{
    /// <summary>Newton iterations before a step counts as failed (RADAU5's default NIT).</summary>
    public const int MaxIterations = 7;

    /// <summary>Default refactorisation ratio: factors are kept while the step stays within 20 % (RADAU5's quot2 = 1.2).</summary>
    public const double DefaultRefactorRatio = 1.2;

    readonly JacobianMethod _jacobianMethod;
    readonly StageDifferentiation _differentiation;
    readonly bool _adaptive, _hostAlgebra;
    readonly double _refactorRatio;
    // Per-solve state (null on the shared registry instance).
    readonly SolverOptions? _options;
    IRadauStepper? _stepper;

    /// <summary>Creates the method.</summary>
    /// <param name="jacobian">How <c>∂f/∂y</c> is obtained.</param>
    /// <param name="differentiation">How direct backpropagation differentiates the stage equations.</param>
    /// <param name="adaptive">False to run with fixed steps (no error estimate), e.g. to measure the order.</param>
    /// <param name="refactorRatio">Keep the LU factors while <c>1/ratio ≤ h/h_factorised ≤ ratio</c> (≥ 1; 1 refactorises on every change of h).</param>
    /// <param name="hostAlgebra">
    /// Run the Newton algebra of small CPU solves that build no graph on the host (the default; see <see cref="HostRadau"/>);
    /// false keeps every solve on tensors. Both compute the same steps up to round-off.
    /// </param>
    public Radau5(JacobianMethod jacobian = JacobianMethod.Autograd, StageDifferentiation differentiation = StageDifferentiation.Implicit,
        bool adaptive = true, double refactorRatio = DefaultRefactorRatio, bool hostAlgebra = true)
    {
        if (!(refactorRatio >= 1)) throw new ArgumentOutOfRangeException(nameof(refactorRatio), refactorRatio, "The refactorisation ratio must be at least 1.");
        (_jacobianMethod, _differentiation, _adaptive, _refactorRatio, _hostAlgebra) = (jacobian, differentiation, adaptive, refactorRatio, hostAlgebra);
    }

    Radau5(Radau5 shared, SolverOptions options)
        : this(shared._jacobianMethod, shared._differentiation, shared._adaptive, shared._refactorRatio, shared._hostAlgebra)
        => _options = options;

    /// <inheritdoc />
    public override string Name => "radau5";
    /// <inheritdoc />
    public override int Order => 5;
    /// <inheritdoc />
    public override int? ErrorOrder => _adaptive ? 3 : null;
    /// <inheritdoc />
    public override bool ReplaysToRoundoff => false;

    /// <inheritdoc />
    public override OneStepMethod ForSolve(SolverOptions options) => new Radau5(this, options);

    /// <summary>True when this instance runs with step-size control (the native loop covers only that case).</summary>
    internal bool IsAdaptiveRadau => _adaptive;

    /// <summary>How the Jacobian is obtained.</summary>
    internal JacobianMethod Jacobian => _jacobianMethod;

    /// <summary>The refactorisation ratio (<see cref="FactorizationReuse{TFactors}.MaxRatio"/>).</summary>
    internal double RefactorRatio => _refactorRatio;

    string? IKernelStiffMethod.KernelObstacle
        => _hostAlgebra ? null : "radau5 was created with hostAlgebra: false, which keeps its Newton algebra on tensors";

    /// <summary>A per-solve instance with default tolerances for the Newton test; drivers call <see cref="ForSolve(SolverOptions)"/>.</summary>
    public override OneStepMethod ForSolve() => ForSolve(new SolverOptions());

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        if (_options is null)
            throw new InvalidOperationException($"'{Name}' keeps per-solve state: call ForSolve(options) and attempt steps on the instance it returns.");
        // Whether the solve builds a graph is fixed for the whole solve (grad mode and what requires grad do not change).
        if (_stepper is null)
        {
            bool differentiate = torch.is_grad_enabled() && (y0.requires_grad || f0.requires_grad);
            _stepper = _hostAlgebra && HostRadau.Applies(y0, differentiate)
                ? new HostRadau(_options, _jacobianMethod, _refactorRatio, _adaptive, y0)
                : new TensorRadau(_options, _jacobianMethod, _refactorRatio, _adaptive, differentiate, _differentiation, y0);
        }
        return _stepper.Attempt(f, step, y0, f0, counters) ?? Failure(step, y0);
    }

    /// <inheritdoc />
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows) => _stepper?.Accepted(acceptedRows);

    /// <summary>A rejected attempt; with fixed steps there is no smaller step to retry with, so it throws.</summary>
    StepAttempt Failure(StepPoint step, Tensor y0) => _adaptive ? StepAttempt.Rejected(y0) : throw NewtonConvergenceException.At(step);
}
