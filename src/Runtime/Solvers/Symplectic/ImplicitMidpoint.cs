using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The implicit midpoint rule <c>y1 = y0 + h·f(t0 + h/2, (y0 + y1)/2)</c>, order 2, fixed step: the one-stage Gauss
/// method, symplectic and symmetric for every Hamiltonian, separable or not (Hairer, Lubich &amp; Wanner, Geometric
/// Numerical Integration, §VI.4, Theorem 4.2), and it needs no (q, p) split of the state.
/// </summary>
/// <remarks>
/// The stage <c>k = f(t0 + h/2, y0 + h/2·k)</c> is solved by the batched simplified Newton iteration of the ESDIRK
/// methods (matrix <c>I − h/2·J</c> with J at the explicit-midpoint predictor <c>y0 + h/2·f0</c>, factorised once per step;
/// start value <c>f</c> at the predictor).
/// The iteration stops at the accuracy set by <c>SolverOptions.RelativeTolerance</c> and
/// <c>SolverOptions.AbsoluteTolerance</c>: the map is symplectic only up to that residual, so for long-time
/// energy behaviour set them well below the energy error you care about (e.g. 1e-10). A step whose iteration does not
/// converge throws <see cref="NewtonConvergenceException"/> (take a smaller step).
/// </remarks>
public sealed class ImplicitMidpoint : OneStepMethod
{
    const double Gamma = 0.5;
    readonly JacobianMethod _jacobianMethod;
    // Per-solve state (null on the shared registry instance).
    readonly SolverOptions? _options;
    SimplifiedNewton? _newton;

    /// <summary>Creates the method.</summary>
    /// <param name="jacobian">How <c>∂f/∂y</c> is obtained for the Newton matrix.</param>
    public ImplicitMidpoint(JacobianMethod jacobian = JacobianMethod.Autograd) => _jacobianMethod = jacobian;

    ImplicitMidpoint(ImplicitMidpoint shared, SolverOptions options) : this(shared._jacobianMethod) => _options = options;

    /// <inheritdoc />
    public override string Name => "implicitmidpoint";

    /// <inheritdoc />
    public override int Order => 2;

    /// <inheritdoc />
    public override int? ErrorOrder => null;

    /// <inheritdoc />
    public override OneStepMethod ForSolve(SolverOptions options) => new ImplicitMidpoint(this, options);

    /// <summary>A per-solve instance with default tolerances for the Newton test; drivers call <see cref="ForSolve(SolverOptions)"/>.</summary>
    public override OneStepMethod ForSolve() => ForSolve(new SolverOptions());

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_options is null)
            throw new InvalidOperationException($"'{Name}' keeps per-solve state: call ForSolve(options) and attempt steps on the instance it returns.");
        _newton ??= new SimplifiedNewton(_options, y0.dtype);
        // Start value and Jacobian at the explicit-midpoint predictor y0 + h/2·f0 rather than at y0: the contraction
        // rate of simplified Newton is ~h/2·‖J(z) − J(z_pred)‖ = O(h²) instead of O(h), so it converges to tight
        // tolerances at steps where the Jacobian at y0 made it give up (pendulum at h = 0.1). One extra evaluation.
        var tHalf = step.Time(Gamma);
        var predictor = step.AddScaled(y0, f0, Gamma);
        var start = counters.Rates(f, tHalf, predictor);
        var jacobian = RatesJacobian.Evaluate(f, tHalf, predictor, start, _jacobianMethod, counters);
        using var matrix = IterationMatrix.Factorize(jacobian, step, Gamma, counters) ?? throw Diverged(step);
        var stage = _newton.Solve(f, tHalf, step, y0, start, Gamma, matrix, Tolerances.From(_options, y0), counters)
                    ?? throw Diverged(step);
        return new StepAttempt(step.AddScaled(y0, stage.K, 1.0));
    }

    static NewtonConvergenceException Diverged(StepPoint step) => step.IsPerTrajectory
        ? new NewtonConvergenceException(step.RowTimes[0], step.RowSteps[0])
        : new NewtonConvergenceException(step.SharedTime, step.SharedStep);
}
