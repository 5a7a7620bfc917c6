using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Explicit-first-stage singly diagonally implicit Runge–Kutta method (ESDIRK) for stiff problems, run by the
/// shared step driver. Each implicit stage is solved by a batched simplified Newton iteration whose matrix
/// <c>I − γhJ</c> serves every stage and iteration (Hairer &amp; Wanner, Solving ODEs II, §IV.6 and §IV.8).
/// </summary>
/// <remarks>
/// The Jacobian <c>[batch, n, n]</c> is kept across steps while Newton converges fast (<see cref="JacobianReuse"/>) and
/// the LU factors while the step changes by less than the refactorisation ratio (<see cref="FactorizationReuse{TFactors}"/>);
/// a stage that does not converge with a kept Jacobian is retried with a fresh one at <c>(t0, y0)</c>, and only then fails
/// the attempt (<see cref="StepAttempt.Failed"/>, the driver shrinks the step). One vector-field evaluation and one device
/// sync per Newton iteration. Dense output is the driver's cubic Hermite interpolant (third order). On stiff problems f
/// at the numerical solution carries its error times the stiff eigenvalue, so values between step ends are less accurate
/// than at them; a stage-value (Lagrange) interpolant was tried and was better only in the extreme stiff limit
/// (Prothero–Robinson), worse on Van der Pol's slow manifold and on non-stiff problems. With the kept Newton state a replay
/// reproduces the forward solve to the Newton tolerance (<see cref="OneStepMethod.ReplaysToRoundoff"/>).
/// </remarks>
public sealed class Esdirk : OneStepMethod, IKernelStiffMethod
{
    readonly DiagonallyImplicitTableau _tableau;
    readonly JacobianMethod _jacobianMethod;
    readonly bool _adaptive;
    readonly double _refactorRatio;
    readonly KrylovSettings? _krylov;
    // Per-solve state (null on the shared registry instance).
    readonly SolverOptions? _options;
    readonly JacobianReuse? _jacobian;
    readonly FactorizationReuse<IterationMatrix>? _factors;
    SimplifiedNewton? _newton;
    int _iterations;
    double _rate;

    /// <summary>Creates an ESDIRK method from its tableau.</summary>
    /// <param name="name">Registry name, e.g. "kvaerno5".</param>
    /// <param name="tableau">The coefficients.</param>
    /// <param name="jacobian">How <c>∂f/∂y</c> is obtained.</param>
    /// <param name="adaptive">False to run with fixed steps (no error estimate), e.g. to measure the order.</param>
    /// <param name="refactorRatio">
    /// Keep the LU factors of <c>I − γhJ</c> while <c>1/ratio ≤ h/h_factorised ≤ ratio</c> (≥ 1). The default 1 refactorises
    /// whenever h changes: an ESDIRK step solves its s − 1 stages in sequence with the same matrix, and a matrix built for
    /// another h slows every one of them; on Van der Pol (μ = 1000, rtol 1e-8) a ratio of 1.2 saved a fifth of the
    /// factorisations but left a 35 % larger error. Worth raising for large n, where a factorisation costs more than a few
    /// Newton iterations.
    /// </param>
    /// <param name="krylov">
    /// Non-null: solve the Newton corrections matrix-free by GMRES with Jacobian–vector products (Newton–Krylov) instead of
    /// forming and factorising <c>[batch, n, n]</c> Jacobians; for large n. See <see cref="KrylovSettings"/>.
    /// </param>
    public Esdirk(string name, DiagonallyImplicitTableau tableau, JacobianMethod jacobian = JacobianMethod.Autograd, bool adaptive = true,
        double refactorRatio = 1, KrylovSettings? krylov = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tableau);
        if (!(refactorRatio >= 1)) throw new ArgumentOutOfRangeException(nameof(refactorRatio), refactorRatio, "The refactorisation ratio must be at least 1.");
        (Name, _tableau, _jacobianMethod, _adaptive, _refactorRatio, _krylov) = (name, tableau, jacobian, adaptive, refactorRatio, krylov?.Validated());
    }

    Esdirk(Esdirk shared, SolverOptions options)
        : this(shared.Name, shared._tableau, shared._jacobianMethod, shared._adaptive, shared._refactorRatio, shared._krylov)
    {
        _options = options;
        _jacobian = new JacobianReuse(_jacobianMethod);
        _factors = new FactorizationReuse<IterationMatrix>(_refactorRatio);
    }

    /// <inheritdoc />
    public override string Name { get; }

    string? IKernelStiffMethod.KernelObstacle => _krylov is null ? null
        : $"'{Name}' with Newton–Krylov solves takes Jacobian–vector products by autograd, which the native kernels do not provide";
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
    public override bool ReplaysToRoundoff => false;

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        if (_options is null || _jacobian is null || _factors is null)
            throw new InvalidOperationException($"'{Name}' keeps per-solve state: call ForSolve(options) and attempt steps on the instance it returns.");
        _newton ??= new SimplifiedNewton(_options, y0.dtype);
        if (_krylov is not null) return MatrixFree(f, step, y0, f0, _krylov, counters);
        var jacobian = _jacobian.Current(f, step.T0, y0, f0, counters);
        while (true)
        {
            var matrix = _factors.Get(step, _jacobian.Version, () => IterationMatrix.Factorize(jacobian, step, _tableau.Gamma, counters));
            if (matrix is not null && Stages(f, step, y0, f0, matrix, _jacobian.IsFreshAt(y0) && _factors.Exact, counters) is { } attempt) return attempt;
            // Not converged with a kept Jacobian: retry the step with a fresh one at y0 before giving it up.
            _factors.Invalidate();
            if (_jacobian.IsFreshAt(y0)) return Failure(step, y0);
            jacobian = _jacobian.Refresh(f, step.T0, y0, f0, counters);
        }
    }

    /// <summary>
    /// Newton–Krylov: the stages with a matrix-free <c>I − γhJ</c> linearised at this step's start (so every Newton solve
    /// uses an exact, current Jacobian, as a fresh dense one would); a failure rejects the step.
    /// </summary>
    StepAttempt MatrixFree(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, KrylovSettings krylov, SolveCounters counters)
    {
        // GMRES builds no graph, so stages solved by it would carry no derivative with respect to y0 or the parameters.
        if (torch.is_grad_enabled() && (y0.requires_grad || f0.requires_grad))
            throw new NotSupportedException(
                $"'{Name}' with Newton–Krylov solves cannot be differentiated by direct backpropagation or replayed for the checkpointed " +
                "adjoint: its GMRES iterations build no graph. Use the backsolve adjoint, or the dense method (no KrylovSettings).");
        using var matrix = KrylovIterationMatrix.Create(f, step, y0, f0, _tableau.Gamma, _jacobianMethod, krylov, counters);
        return Stages(f, step, y0, f0, matrix, freshJacobian: true, counters) ?? Failure(step, y0);
    }

    /// <summary>Solves the implicit stages with <paramref name="matrix"/>; null when a stage's Newton iteration fails.</summary>
    StepAttempt? Stages(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, INewtonMatrix matrix, bool freshJacobian, SolveCounters counters)
    {
        var t = _tableau;
        var tolerances = Tolerances.From(_options!, y0);
        var k = new Tensor[t.Stages];
        k[0] = f0;
        var z = y0;
        (_iterations, _rate) = (0, 0);
        for (int i = 1; i < t.Stages; i++)
        {
            var psi = ExplicitRungeKutta.Combine(y0, t.Lower[i - 1], k, i, step);
            var start = Combination(k, t.Predictor[i - 1]);
            if (_newton!.Solve(f, step.Time(t.C[i]), step, psi, start, t.Gamma, matrix, tolerances, counters, freshJacobian) is not { } stage)
                return null;
            (k[i], z) = stage;
            (_iterations, _rate) = (Math.Max(_iterations, _newton.Iterations), Math.Max(_rate, _newton.Rate));
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
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows) => _jacobian?.Accepted(_iterations, _rate);

    /// <summary><c>h Σ (bⱼ − b̂ⱼ) kⱼ</c>; it only feeds the controller, so no graph.</summary>
    Tensor ErrorEstimate(Tensor[] k, StepPoint step)
    {
        using var noGrad = TorchSharp.torch.no_grad();
        return step.Scale(Combination(k, _tableau.BError), 1.0);
    }

    /// <summary>A rejected attempt; with fixed steps there is no smaller step to retry with, so it throws.</summary>
    StepAttempt Failure(StepPoint step, Tensor y0) => _adaptive ? StepAttempt.Rejected(y0) : throw NewtonConvergenceException.At(step);

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
