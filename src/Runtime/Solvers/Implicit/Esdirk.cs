using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Explicit-first-stage singly diagonally implicit Runge–Kutta method (ESDIRK) for stiff problems, run by the
/// shared step driver. Each implicit stage is solved by a batched simplified Newton iteration whose matrix
/// <c>I − γhJ</c> is factorised once per step (Hairer &amp; Wanner, Solving ODEs II, §IV.6 and §IV.8).
/// </summary>
/// <remarks>
/// Per step: one Jacobian <c>[batch, n, n]</c> at <c>(t0, y0)</c> (reused when the step is retried with a smaller
/// <c>h</c>), one LU factorisation per attempt, one vector-field evaluation and one device sync per Newton iteration.
/// A stage that does not converge fails the attempt (<see cref="StepAttempt.Failed"/>); the driver shrinks the step.
/// Dense output is the driver's cubic Hermite interpolant (third order). On stiff problems f at the numerical solution
/// carries its error times the stiff eigenvalue, so values between step ends are less accurate than at them; a
/// stage-value (Lagrange) interpolant was tried and was better only in the extreme stiff limit (Prothero–Robinson),
/// worse on Van der Pol's slow manifold and on non-stiff problems.
/// </remarks>
public sealed class Esdirk : OneStepMethod
{
    readonly DiagonallyImplicitTableau _tableau;
    readonly JacobianMethod _jacobianMethod;
    readonly bool _adaptive;
    // Per-solve state (null on the shared registry instance).
    readonly SolverOptions? _options;
    SimplifiedNewton? _newton;
    Tensor? _jacobian;
    Tensor? _jacobianState;

    /// <summary>Creates an ESDIRK method from its tableau.</summary>
    /// <param name="name">Registry name, e.g. "kvaerno5".</param>
    /// <param name="tableau">The coefficients.</param>
    /// <param name="jacobian">How <c>∂f/∂y</c> is obtained.</param>
    /// <param name="adaptive">False to run with fixed steps (no error estimate), e.g. to measure the order.</param>
    public Esdirk(string name, DiagonallyImplicitTableau tableau, JacobianMethod jacobian = JacobianMethod.Autograd, bool adaptive = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tableau);
        (Name, _tableau, _jacobianMethod, _adaptive) = (name, tableau, jacobian, adaptive);
    }

    Esdirk(Esdirk shared, SolverOptions options) : this(shared.Name, shared._tableau, shared._jacobianMethod, shared._adaptive)
        => _options = options;

    /// <inheritdoc />
    public override string Name { get; }
    /// <inheritdoc />
    public override int Order => _tableau.Order;
    /// <inheritdoc />
    public override int? ErrorOrder => _adaptive ? _tableau.ErrorOrder : null;

    /// <summary>The tableau.</summary>
    public DiagonallyImplicitTableau Tableau => _tableau;

    /// <inheritdoc />
    public override OneStepMethod ForSolve(SolverOptions options) => new Esdirk(this, options);

    /// <summary>A per-solve instance with default tolerances for the Newton test; drivers call <see cref="ForSolve(SolverOptions)"/>.</summary>
    public override OneStepMethod ForSolve() => ForSolve(new SolverOptions());

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        if (_options is null)
            throw new InvalidOperationException($"'{Name}' keeps per-solve state: call ForSolve(options) and attempt steps on the instance it returns.");
        _newton ??= new SimplifiedNewton(_options, y0.dtype);
        var t = _tableau;
        using var matrix = IterationMatrix.Factorize(Jacobian(f, step, y0, f0, counters), step, t.Gamma, counters);
        if (matrix is null) return Failure(step, y0);

        var tolerances = Tolerances.From(_options, y0);
        var k = new Tensor[t.Stages];
        k[0] = f0;
        var z = y0;
        for (int i = 1; i < t.Stages; i++)
        {
            var psi = ExplicitRungeKutta.Combine(y0, t.Lower[i - 1], k, i, step);
            var start = Combination(k, t.Predictor[i - 1]);
            if (_newton.Solve(f, step.Time(t.C[i]), step, psi, start, t.Gamma, matrix, tolerances, counters) is not { } stage)
                return Failure(step, y0);
            (k[i], z) = stage;
        }

        var y1 = t.IsStifflyAccurate ? z : ExplicitRungeKutta.Combine(y0, t.B, k, t.Stages, step);
        return new StepAttempt(y1)
        {
            ErrorEstimate = _adaptive ? ErrorEstimate(k, step) : null,
            // Stiffly accurate with c_s = 1: the last stage is y1, so its k is f(t1, y1) up to the Newton tolerance.
            F1 = t.IsStifflyAccurate && t.C[^1] == 1 ? k[^1] : null,
        };
    }

    /// <inheritdoc />
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows) => DropJacobian();

    /// <summary>The Jacobian at (t0, y0), evaluated once per step and kept for retries of the same step.</summary>
    Tensor Jacobian(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        if (_jacobian is not null && ReferenceEquals(_jacobianState, y0)) return _jacobian;
        DropJacobian();
        // Owned here (not by the step's dispose scope) so a rejected step's retry can reuse it.
        _jacobian = RatesJacobian.Evaluate(f, step.T0, y0, f0, _jacobianMethod, counters).DetachFromDisposeScope();
        _jacobianState = y0;
        return _jacobian;
    }

    void DropJacobian()
    {
        _jacobian?.Dispose();
        (_jacobian, _jacobianState) = (null, null);
    }

    /// <summary><c>h Σ (bⱼ − b̂ⱼ) kⱼ</c>; it only feeds the controller, so no graph.</summary>
    Tensor ErrorEstimate(Tensor[] k, StepPoint step)
    {
        using var noGrad = TorchSharp.torch.no_grad();
        return step.Scale(Combination(k, _tableau.BError), 1.0);
    }

    /// <summary>A rejected attempt; with fixed steps there is no smaller step to retry with, so it throws.</summary>
    StepAttempt Failure(StepPoint step, Tensor y0)
    {
        if (!_adaptive)
            throw step.IsPerTrajectory
                ? new NewtonConvergenceException(step.RowTimes[0], step.RowSteps[0])
                : new NewtonConvergenceException(step.SharedTime, step.SharedStep);
        return new StepAttempt(y0.alias()) { Failed = true };
    }

    /// <summary><c>Σ wⱼ kⱼ</c> (no <c>h</c>) over the stages with non-zero weight: Newton start values and the error.</summary>
    static Tensor Combination(Tensor[] k, IReadOnlyList<double> weights)
    {
        Tensor? sum = null;
        for (int j = 0; j < weights.Count && j < k.Length; j++)
        {
            if (weights[j] == 0 || k[j] is null) continue;
            sum = sum is null ? ScalarOps.Mul(k[j], weights[j]) : ScalarOps.Add(sum, k[j], weights[j]);
        }
        return sum ?? zeros_like(k[0]);
    }
}
