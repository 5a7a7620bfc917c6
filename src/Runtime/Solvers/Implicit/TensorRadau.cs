using TorchSharp;
using static TorchSharp.torch;
using Coefficients = NodeDsl.Runtime.Tableaus.RadauIIA5;

namespace NodeDsl.Runtime;

/// <summary>
/// <see cref="Radau5"/>'s stage algebra on tensors (any device, any batch, gradients): simplified Newton on the
/// transformed stage equations with one real and one complex batched LU (<see cref="RadauIterationMatrices"/>), RADAU5's
/// start values and error estimate, the collocation polynomial as dense output, and the gradient of the stages either
/// through the iterations or implicitly (<see cref="StageDifferentiation"/>).
/// </summary>
internal sealed class TensorRadau : RadauStepper<RadauIterationMatrices>
{
    readonly bool _adaptive, _differentiate, _unrolled;
    readonly Tensor _transform, _inverseTransform, _negativeLambda, _errorWeights;
    Tensor? _previousZ, _attemptZ;
    double[]? _previousH, _attemptH;

    /// <param name="differentiate">The solve builds a graph (grad mode on and y0 or the rates require grad).</param>
    public TensorRadau(SolverOptions options, JacobianMethod jacobianMethod, double refactorRatio, bool adaptive, bool differentiate,
        StageDifferentiation differentiation, Tensor like)
        : base(options, jacobianMethod, refactorRatio, like.dtype)
    {
        (_adaptive, _differentiate) = (adaptive, differentiate);
        _unrolled = differentiate && differentiation == StageDifferentiation.Unrolled;
        var rc = Coefficients.Coefficients;
        _transform = Matrix(rc.T, like);
        _inverseTransform = Matrix(rc.TInverse, like);
        _negativeLambda = Matrix(new[,] { { -rc.Gamma, 0, 0 }, { 0, -rc.Alpha, rc.Beta }, { 0, -rc.Beta, -rc.Alpha } }, like);
        _errorWeights = torch.tensor(rc.ErrorWeights.ToArray(), new long[] { 1, 3 }, like.dtype, like.device).DetachFromDisposeScope();
    }

    protected override RadauIterationMatrices? Factorize(Tensor jacobian, StepPoint step, SolveCounters counters)
        => RadauIterationMatrices.Factorize(jacobian, step, Coefficients.Coefficients, counters);

    protected override StepAttempt? Step(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, RadauIterationMatrices matrices, bool retry, SolveCounters counters)
    {
        var rc = Coefficients.Coefficients;
        Tensor scale;
        using (torch.no_grad()) scale = Tolerances.From(Options, y0).Scale(y0.detach());
        Tensor? z;
        using (_unrolled ? null : torch.no_grad())
            z = Newton(f, step, _unrolled ? y0 : y0.detach(), matrices, scale, counters);
        if (z is null) return null;

        Tensor? errorEstimate = null;
        if (_adaptive)
            using (torch.no_grad())
                errorEstimate = ErrorEstimate(f, step, y0.detach(), f0.detach(), z.detach(), matrices, refine: retry || _previousZ is null, counters);
        _attemptZ?.Dispose();
        // Unrolled: the next start values keep the graph, so the derivative of the iterates starts close to its limit
        // (detached start values would leave the derivative O(1) off before the iterations contract it).
        _attemptZ = (_unrolled ? z.alias() : z.detach()).DetachFromDisposeScope();
        _attemptH = Steps(step);

        Tensor? f1 = null;
        if (_differentiate && !_unrolled)
            (z, f1) = ImplicitStageGradient.Attach(f, step, y0, z.detach(), rc.A, rc.C, JacobianMethod, counters);
        return new StepAttempt(y0.add(z[2], ScalarOps.One)) { ErrorEstimate = errorEstimate, F1 = f1, Dense = new CollocationDenseOutput(rc, y0, z) };
    }

    protected override void Promote(Tensor? acceptedRows)
    {
        if (_attemptZ is null || _attemptH is null) return;
        if (acceptedRows is null)
        {
            _previousZ?.Dispose();
            (_previousZ, _previousH) = (_attemptZ, _attemptH);
        }
        else
        {
            // Rows that were not accepted keep the polynomial of their last accepted step (or none: zero start values).
            var accepted = HostMask(acceptedRows);
            _previousH ??= new double[accepted.Length];
            for (int r = 0; r < accepted.Length; r++) if (accepted[r]) _previousH[r] = _attemptH[r];
            var merged = torch.where(acceptedRows.unsqueeze(0), _attemptZ, _previousZ ?? torch.zeros_like(_attemptZ)).DetachFromDisposeScope();
            _previousZ?.Dispose();
            _attemptZ.Dispose();
            _previousZ = merged;
        }
        (_attemptZ, _attemptH) = (null, null);
    }

    /// <summary>
    /// Simplified Newton on the transformed stage equations (Hairer &amp; Wanner IV.8, eq. 8.16–8.18). Returns the stage
    /// increments <c>Z</c> (<c>[3, batch, n]</c>) or null when the iteration diverges or cannot converge in time.
    /// </summary>
    Tensor? Newton(IOdeSystem f, StepPoint step, Tensor y0, RadauIterationMatrices matrices, Tensor scale, SolveCounters counters)
    {
        var rc = Coefficients.Coefficients;
        long batch = y0.shape[0], n = y0.shape[1];
        var stages = new StageRates(f, step, rc.C, batch);
        var z = _previousZ is null || _previousH is null
            ? torch.zeros(3, batch, n, y0.dtype, y0.device)
            : CollocationDenseOutput.Extrapolate(rc, _previousZ, Ratios(step, _previousH));
        var w = Apply(_inverseTransform, z);
        Control.Start();
        for (int k = 0; k < Radau5.MaxIterations; k++)
        {
            var rates = stages.Evaluate(y0.unsqueeze(0).add(z, ScalarOps.One), counters);
            // r = h (T⁻¹ ⊗ I) F − (Λ ⊗ I) W
            var r = torch.addmm(_inverseTransform.mm(step.Scale(rates, 1.0).view(3, -1)), _negativeLambda, w.view(3, -1), 1, 1).view(3, batch, n);
            var dw = matrices.Solve(r);
            var verdict = Control.Judge(k, ScaledNorm(dw, scale));
            if (verdict == NewtonVerdict.Failed) return null;
            w = w.add(dw, ScalarOps.One);
            z = Apply(_transform, w);
            if (verdict == NewtonVerdict.Converged)
            {
                (Iterations, Rate) = (k + 1, Control.Rate);
                return z;
            }
        }
        return null;
    }

    /// <summary>
    /// RADAU5's estimate <c>(γI − hJ)⁻¹ (h f0 + Σ eᵢZᵢ)</c> (Hairer &amp; Wanner IV.8, eq. 8.20); on the first step and on
    /// retries it is refined once with <c>f(t0, y0 + err)</c> in place of <c>f0</c>, which removes the estimate's
    /// overestimation in stiff components (eq. 8.22).
    /// </summary>
    Tensor ErrorEstimate(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, Tensor z, RadauIterationMatrices matrices, bool refine, SolveCounters counters)
    {
        var ez = _errorWeights.mm(z.view(3, -1)).view(y0.shape);
        var error = matrices.SolveReal(step.AddScaled(ez, f0, 1.0));
        if (!refine) return error;
        var probe = counters.Rates(f, step.T0, y0.add(error, ScalarOps.One));
        return matrices.SolveReal(step.AddScaled(ez, probe, 1.0));
    }

    /// <summary>Largest per-row RMS of <c>ΔW / (atol + rtol·|y0|)</c> over the three stages. Sync: one scalar.</summary>
    static double ScaledNorm(Tensor dw, Tensor scale)
    {
        using var noGrad = torch.no_grad();
        using var norm = ScalarOps.Square(dw.detach().div(scale)).mean([0L, 2L]).max();
        return Math.Sqrt(norm.to(ScalarType.Float64).item<double>());
    }

    /// <summary><c>(M ⊗ I) X</c> for a 3×3 matrix and <c>[3, batch, n]</c> stages: one matrix product.</summary>
    static Tensor Apply(Tensor matrix, Tensor x) => matrix.mm(x.view(3, -1)).view(x.shape);

    static Tensor Matrix(double[,] m, Tensor like)
        => torch.tensor(m.Cast<double>().ToArray(), new long[] { 3, 3 }, like.dtype, like.device).DetachFromDisposeScope();
}
