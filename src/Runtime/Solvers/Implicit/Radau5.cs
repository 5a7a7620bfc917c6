using TorchSharp;
using static TorchSharp.torch;
using Coefficients = NodeDsl.Runtime.Tableaus.RadauIIA5;

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
public sealed class Radau5 : OneStepMethod
{
    /// <summary>Newton iterations before a step counts as failed (RADAU5's default NIT).</summary>
    public const int MaxIterations = 7;

    /// <summary>Default <see cref="FactorizationReuse{TFactors}.MaxRatio"/>: factors are kept while the step stays within 20 % (RADAU5's quot2 = 1.2).</summary>
    public const double DefaultRefactorRatio = 1.2;

    readonly JacobianMethod _jacobianMethod;
    readonly StageDifferentiation _differentiation;
    readonly bool _adaptive;
    readonly double _refactorRatio;
    // Per-solve state (null on the shared registry instance).
    readonly SolverOptions? _options;
    readonly JacobianReuse? _jacobian;
    readonly FactorizationReuse<RadauIterationMatrices>? _factors;
    NewtonControl? _control;
    Tensor? _transform, _inverseTransform, _negativeLambda, _errorWeights;
    Tensor? _previousZ, _attemptZ;
    double[]? _previousH, _attemptH;
    object? _attemptStart;
    int _iterations;
    double _rate;

    /// <summary>Creates the method.</summary>
    /// <param name="jacobian">How <c>∂f/∂y</c> is obtained.</param>
    /// <param name="differentiation">How direct backpropagation differentiates the stage equations.</param>
    /// <param name="adaptive">False to run with fixed steps (no error estimate), e.g. to measure the order.</param>
    /// <param name="refactorRatio">Keep the LU factors while <c>1/ratio ≤ h/h_factorised ≤ ratio</c> (≥ 1; 1 refactorises on every change of h).</param>
    public Radau5(JacobianMethod jacobian = JacobianMethod.Autograd, StageDifferentiation differentiation = StageDifferentiation.Implicit,
        bool adaptive = true, double refactorRatio = DefaultRefactorRatio)
    {
        if (!(refactorRatio >= 1)) throw new ArgumentOutOfRangeException(nameof(refactorRatio), refactorRatio, "The refactorisation ratio must be at least 1.");
        (_jacobianMethod, _differentiation, _adaptive, _refactorRatio) = (jacobian, differentiation, adaptive, refactorRatio);
    }

    Radau5(Radau5 shared, SolverOptions options) : this(shared._jacobianMethod, shared._differentiation, shared._adaptive, shared._refactorRatio)
    {
        _options = options;
        _jacobian = new JacobianReuse(_jacobianMethod);
        _factors = new FactorizationReuse<RadauIterationMatrices>(_refactorRatio);
    }

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

    /// <summary>A per-solve instance with default tolerances for the Newton test; drivers call <see cref="ForSolve(SolverOptions)"/>.</summary>
    public override OneStepMethod ForSolve() => ForSolve(new SolverOptions());

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        if (_options is null || _jacobian is null || _factors is null)
            throw new InvalidOperationException($"'{Name}' keeps per-solve state: call ForSolve(options) and attempt steps on the instance it returns.");
        var rc = Coefficients.Coefficients;
        EnsureConstants(y0);
        _control ??= new NewtonControl(_options, y0.dtype, MaxIterations);
        bool retry = ReferenceEquals(_attemptStart, y0);
        _attemptStart = y0;
        bool differentiate = torch.is_grad_enabled() && (y0.requires_grad || f0.requires_grad);
        bool unrolled = differentiate && _differentiation == StageDifferentiation.Unrolled;
        var tolerances = Tolerances.From(_options, y0);
        Tensor scale;
        using (torch.no_grad()) scale = tolerances.Scale(y0.detach());

        Tensor? z = null;
        RadauIterationMatrices? matrices = null;
        var jacobian = _jacobian.Current(f, step.T0, y0, f0, counters);
        while (true)
        {
            matrices = _factors.Get(step, _jacobian.Version, () => RadauIterationMatrices.Factorize(jacobian, step, rc, counters));
            if (matrices is not null)
            {
                using (unrolled ? null : torch.no_grad())
                    z = Newton(f, step, unrolled ? y0 : y0.detach(), matrices, scale, counters);
                if (z is not null) break;
            }
            _factors.Invalidate();
            if (_jacobian.IsFreshAt(y0)) return Failure(step, y0);
            jacobian = _jacobian.Refresh(f, step.T0, y0, f0, counters);
        }

        Tensor? errorEstimate = null;
        if (_adaptive)
            using (torch.no_grad())
                errorEstimate = ErrorEstimate(f, step, y0.detach(), f0.detach(), z.detach(), matrices, refine: retry || _previousZ is null, counters);
        _attemptZ?.Dispose();
        _attemptZ = z.detach().DetachFromDisposeScope();
        _attemptH = step.IsPerTrajectory ? [.. step.RowSteps] : [step.SharedStep];

        Tensor? f1 = null;
        if (differentiate && !unrolled)
            (z, f1) = ImplicitStageGradient.Attach(f, step, y0, z.detach(), rc.A, rc.C, _jacobianMethod, counters);
        return new StepAttempt(y0.add(z[2]))
        {
            ErrorEstimate = errorEstimate,
            F1 = f1,
            Dense = new CollocationDenseOutput(rc, y0, z),
        };
    }

    /// <inheritdoc />
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows)
    {
        if (_attemptZ is null || _attemptH is null) return;
        if (acceptedRows is null || _previousZ is null || _previousH is null)
        {
            _previousZ?.Dispose();
            (_previousZ, _previousH) = (_attemptZ, _attemptH);
            if (acceptedRows is not null) KeepOnly(acceptedRows);
        }
        else
        {
            // Rows that were not accepted keep the polynomial of their last accepted step.
            var merged = torch.where(acceptedRows.unsqueeze(0), _attemptZ, _previousZ).DetachFromDisposeScope();
            var accepted = HostMask(acceptedRows);
            for (int r = 0; r < accepted.Length; r++) if (accepted[r]) _previousH[r] = _attemptH[r];
            _previousZ.Dispose();
            _attemptZ.Dispose();
            _previousZ = merged;
        }
        _attemptZ = null;
        _attemptH = null;
        _jacobian!.Accepted(_iterations, _rate);
    }

    // First accepted step in per-trajectory mode: rows without an accepted step have no polynomial yet (start from zero).
    void KeepOnly(Tensor acceptedRows)
    {
        var accepted = HostMask(acceptedRows);
        for (int r = 0; r < accepted.Length; r++) if (!accepted[r]) _previousH![r] = 0;
        var masked = torch.where(acceptedRows.unsqueeze(0), _previousZ!, torch.zeros_like(_previousZ!)).DetachFromDisposeScope();
        _previousZ!.Dispose();
        _previousZ = masked;
    }

    static bool[] HostMask(Tensor rows)
    {
        using var cpu = rows.reshape(-1).to(CPU);
        return cpu.data<bool>().ToArray();
    }

    /// <summary>
    /// Simplified Newton on the transformed stage equations (Hairer &amp; Wanner IV.8, eq. 8.16–8.18). Returns the stage
    /// increments <c>Z</c> (<c>[3, batch, n]</c>) or null when the iteration diverges or cannot converge in time.
    /// </summary>
    Tensor? Newton(IOdeSystem f, StepPoint step, Tensor y0, RadauIterationMatrices matrices, Tensor scale, SolveCounters counters)
    {
        var rc = Coefficients.Coefficients;
        long batch = y0.shape[0], n = y0.shape[1];
        var times = new[] { step.Time(rc.C[0]), step.Time(rc.C[1]), step.Time(1.0) };
        var z = StartValues(step, y0);
        var w = Apply(_inverseTransform!, z);
        var control = _control!;
        control.Start();
        for (int k = 0; k < MaxIterations; k++)
        {
            var stages = y0.unsqueeze(0).add(z);
            var rates = torch.stack([counters.Rates(f, times[0], stages[0]), counters.Rates(f, times[1], stages[1]), counters.Rates(f, times[2], stages[2])]);
            // r = h (T⁻¹ ⊗ I) F − (Λ ⊗ I) W
            var r = torch.addmm(_inverseTransform!.matmul(step.Scale(rates, 1.0).view(3, -1)), _negativeLambda!, w.view(3, -1), 1, 1).view(3, batch, n);
            var dw = matrices.Solve(r);
            double norm = ScaledNorm(dw, scale);
            var verdict = control.Judge(k, norm);
            if (verdict == NewtonVerdict.Failed) return null;
            w = w.add(dw);
            z = Apply(_transform!, w);
            if (verdict == NewtonVerdict.Converged)
            {
                (_iterations, _rate) = (k + 1, control.Rate);
                return z;
            }
        }
        return null;
    }

    /// <summary>RADAU5's start values: the previous step's collocation polynomial extrapolated over this step; zero on the first step.</summary>
    Tensor StartValues(StepPoint step, Tensor y0)
    {
        if (_previousZ is null || _previousH is null)
            return torch.zeros(3, y0.shape[0], y0.shape[1], y0.dtype, y0.device);
        var ratio = new double[_previousH.Length];
        for (int r = 0; r < ratio.Length; r++)
        {
            double h = step.IsPerTrajectory ? step.RowSteps[r] : step.SharedStep;
            ratio[r] = _previousH[r] == 0 ? 0 : h / _previousH[r];
        }
        return CollocationDenseOutput.Extrapolate(Coefficients.Coefficients, _previousZ, ratio);
    }

    /// <summary>
    /// RADAU5's estimate <c>(γI − hJ)⁻¹ (h f0 + Σ eᵢZᵢ)</c> (Hairer &amp; Wanner IV.8, eq. 8.20); on the first step and on
    /// retries it is refined once with <c>f(t0, y0 + err)</c> in place of <c>f0</c>, which removes the estimate's
    /// overestimation in stiff components (eq. 8.22).
    /// </summary>
    Tensor ErrorEstimate(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, Tensor z, RadauIterationMatrices matrices, bool refine, SolveCounters counters)
    {
        var ez = _errorWeights!.matmul(z.view(3, -1)).view(y0.shape);
        var error = matrices.SolveReal(step.AddScaled(ez, f0, 1.0));
        if (!refine) return error;
        var probe = counters.Rates(f, step.T0, y0.add(error));
        return matrices.SolveReal(step.AddScaled(ez, probe, 1.0));
    }

    /// <summary>Largest per-row RMS of <c>ΔW / (atol + rtol·|y0|)</c> over the three stages. Sync: one scalar.</summary>
    static double ScaledNorm(Tensor dw, Tensor scale)
    {
        using var noGrad = torch.no_grad();
        using var norm = dw.detach().div(scale).square().mean([0L, 2L]).max();
        return Math.Sqrt(norm.to(ScalarType.Float64).item<double>());
    }

    /// <summary><c>(M ⊗ I) X</c> for a 3×3 matrix and <c>[3, batch, n]</c> stages: one matmul.</summary>
    static Tensor Apply(Tensor matrix, Tensor x) => matrix.matmul(x.view(3, -1)).view(x.shape);

    void EnsureConstants(Tensor like)
    {
        if (_transform is not null && _transform.dtype == like.dtype && _transform.device_type == like.device_type) return;
        var rc = Coefficients.Coefficients;
        Tensor Matrix(double[,] m) => torch.tensor(m.Cast<double>().ToArray(), new long[] { 3, 3 }, like.dtype, like.device).DetachFromDisposeScope();
        _transform = Matrix(rc.T);
        _inverseTransform = Matrix(rc.TInverse);
        _negativeLambda = Matrix(new[,] { { -rc.Gamma, 0, 0 }, { 0, -rc.Alpha, rc.Beta }, { 0, -rc.Beta, -rc.Alpha } });
        _errorWeights = torch.tensor(rc.ErrorWeights.ToArray(), new long[] { 1, 3 }, like.dtype, like.device).DetachFromDisposeScope();
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
}
