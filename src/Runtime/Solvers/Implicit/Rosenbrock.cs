using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A Rosenbrock–Wanner method (linearly implicit: no Newton iteration) driven by a <see cref="RosenbrockTableau"/>, e.g.
/// Rodas5P. Per step one Jacobian and time derivative at <c>(t0, y0)</c> (kept for retries of the same step), one LU of
/// <c>I − hγJ</c> per attempt, one evaluation and one batched triangular solve per stage after the first, and the
/// tableau's own continuous extension as dense output (Hairer &amp; Wanner, Solving ODEs II, §IV.7).
/// </summary>
/// <remarks>
/// The order rests on the exact Jacobian at the step start, so it is not reused across steps (that needs a W-method).
/// Direct backpropagation is exact: when the solve builds a graph the Jacobian and ∂f/∂t keep theirs (a double backward
/// through the rates) and the linear solves are differentiated with respect to the matrix too.
/// </remarks>
public sealed class Rosenbrock : OneStepMethod, IKernelStiffMethod
{
    readonly RosenbrockTableau _tableau;
    readonly JacobianMethod _jacobianMethod;
    readonly bool _adaptive;
    readonly double[][] _a, _c;
    // Per-solve state: the Jacobian and ∂f/∂t at the start of the step being attempted.
    readonly bool _perSolve;
    object? _point;
    Tensor? _jacobian, _timeDerivative;

    /// <summary>Creates the method named <paramref name="name"/> from <paramref name="tableau"/>.</summary>
    /// <param name="name">Registry name, e.g. "rodas5p".</param>
    /// <param name="tableau">The coefficients.</param>
    /// <param name="jacobian">How <c>∂f/∂y</c> and <c>∂f/∂t</c> are obtained.</param>
    /// <param name="adaptive">False to run with fixed steps (no error estimate), e.g. to measure the order.</param>
    public Rosenbrock(string name, RosenbrockTableau tableau, JacobianMethod jacobian = JacobianMethod.Autograd, bool adaptive = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tableau);
        (Name, _tableau, _jacobianMethod, _adaptive) = (name, tableau, jacobian, adaptive);
        int s = tableau.Stages;
        _a = [.. Enumerable.Range(0, s).Select(i => Enumerable.Range(0, i).Select(j => tableau.A[i, j]).ToArray())];
        _c = [.. Enumerable.Range(0, s).Select(i => Enumerable.Range(0, i).Select(j => tableau.C[i, j]).ToArray())];
    }

    Rosenbrock(Rosenbrock shared) : this(shared.Name, shared._tableau, shared._jacobianMethod, shared._adaptive) => _perSolve = true;

    /// <inheritdoc />
    public override string Name { get; }

    string? IKernelStiffMethod.KernelObstacle => null;
    /// <inheritdoc />
    public override int Order => _tableau.Order;
    /// <inheritdoc />
    public override int? ErrorOrder => _adaptive ? _tableau.ErrorOrder : null;

    /// <summary>The coefficients.</summary>
    public RosenbrockTableau Tableau => _tableau;

    /// <inheritdoc />
    public override OneStepMethod ForSolve() => new Rosenbrock(this);

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        if (!_perSolve)
            throw new InvalidOperationException($"'{Name}' keeps per-solve state: call ForSolve() and attempt steps on the instance it returns.");
        var tab = _tableau;
        bool differentiate = torch.is_grad_enabled() && (y0.requires_grad || f0.requires_grad);
        if (!ReferenceEquals(_point, y0) || _jacobian is null)
        {
            _jacobian?.Dispose();
            _timeDerivative?.Dispose();
            (_jacobian, _timeDerivative) = RatesJacobian.EvaluateWithTime(f, step.T0, y0, f0, _jacobianMethod, counters, differentiate);
            // Kept outside the step's dispose scope for retries of the same step.
            (_jacobian, _timeDerivative) = (_jacobian.DetachFromDisposeScope(), _timeDerivative.DetachFromDisposeScope());
            _point = y0;
        }
        using var solver = StageSolver.Create(_jacobian, step, tab.Gamma, differentiate, counters);
        if (solver is null) return Failure(step, y0);

        int s = tab.Stages;
        var k = new Tensor[s];
        var ft = _timeDerivative!;
        Tensor? u = null, du = f0;
        for (int i = 0; i < s; i++)
        {
            if (i > 0 && !SameStage(i))
            {
                u = Combine(y0, _a[i], k, i);
                du = counters.Rates(f, step.Time(tab.Nodes[i]), u);
            }
            // (I − hγJ) kᵢ = γ (h fᵢ + h² dᵢ ∂f/∂t + Σⱼ cᵢⱼ kⱼ): the RODAS form multiplied by hγ, so a zero step (a finished
            // row) gives kᵢ = 0.
            var rhs = step.Scale(du!, 1.0);
            if (tab.D[i] != 0) rhs = step.AddScaled(rhs, step.Scale(ft, tab.D[i]), 1.0);
            var coupling = Combination(_c[i], k, i);
            if (coupling is not null) rhs = rhs.add(coupling, ScalarOps.One);
            k[i] = solver.Solve(ScalarOps.Mul(rhs, tab.Gamma));
        }
        var y1 = Combine(y0, [.. tab.B], k, s);
        Tensor? error = null;
        if (_adaptive)
            using (torch.no_grad()) error = Combination([.. tab.ErrorWeights], k, s) ?? zeros_like(y0);
        var dense = new double[3][];
        for (int p = 0; p < 3; p++) dense[p] = [.. Enumerable.Range(0, s).Select(i => tab.Dense[p, i])];
        return new StepAttempt(y1)
        {
            ErrorEstimate = error,
            Dense = new RosenbrockDenseOutput(y0, y1, Combination(dense[0], k, s)!, Combination(dense[1], k, s)!, Combination(dense[2], k, s)!),
        };
    }

    /// <inheritdoc />
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows)
    {
        // The next step needs the Jacobian at its own start.
        _jacobian?.Dispose();
        _timeDerivative?.Dispose();
        (_jacobian, _timeDerivative, _point) = (null, null, null);
    }

    // A stage whose argument and time equal the previous stage's reuses its evaluation (Rosenbrock4-type tableaus).
    bool SameStage(int i)
        => i > 1 && _tableau.Nodes[i] == _tableau.Nodes[i - 1] && _a[i].Length == _a[i - 1].Length + 1 && _a[i][^1] == 0
           && _a[i].Take(i - 1).SequenceEqual(_a[i - 1]);

    /// <summary><c>y0 + Σⱼ wⱼ kⱼ</c> (the increments already carry h).</summary>
    static Tensor Combine(Tensor y0, IReadOnlyList<double> w, Tensor[] k, int count) => Combination(w, k, count) is { } sum ? y0.add(sum, ScalarOps.One) : y0.alias();

    /// <summary><c>Σⱼ wⱼ kⱼ</c> over the first <paramref name="count"/> increments with non-zero weight; null when all are zero.</summary>
    internal static Tensor? Combination(IReadOnlyList<double> w, Tensor[] k, int count)
    {
        Tensor? sum = null;
        for (int j = 0; j < count && j < w.Count; j++)
        {
            if (w[j] == 0 || k[j] is null) continue;
            sum = sum is null ? ScalarOps.Mul(k[j], w[j]) : ScalarOps.Add(sum, k[j], w[j]);
        }
        return sum;
    }

    /// <summary>A rejected attempt (singular <c>I − hγJ</c>); with fixed steps there is nothing to retry, so it throws.</summary>
    StepAttempt Failure(StepPoint step, Tensor y0)
    {
        if (!_adaptive)
            throw new OdeSolverException(
                $"'{Name}': the matrix I − hγJ is singular or not finite at t = {(step.IsPerTrajectory ? step.RowTimes[0] : step.SharedTime):R}. " +
                "Use a smaller SolverOptions.StepSize or the adaptive method, which shrinks the step instead.");
        return StepAttempt.Rejected(y0);
    }

    /// <summary>Solves with <c>I − hγJ</c>: factorised once without a graph, or differentiably (the matrix has a graph).</summary>
    sealed class StageSolver : IDisposable
    {
        readonly IterationMatrix? _factors;
        readonly Tensor? _matrix;

        StageSolver(IterationMatrix? factors, Tensor? matrix) => (_factors, _matrix) = (factors, matrix);

        public static StageSolver? Create(Tensor jacobian, StepPoint step, double gamma, bool differentiate, SolveCounters counters)
        {
            if (!differentiate)
                return IterationMatrix.Factorize(jacobian, step, gamma, counters) is { } factors ? new StageSolver(factors, null) : null;
            counters.Factorizations++;
            long n = jacobian.shape[^1];
            var hj = step.IsPerTrajectory ? ScalarOps.Mul(jacobian.mul(step.H.unsqueeze(-1)), gamma) : ScalarOps.Mul(jacobian, gamma * step.SharedStep);
            return new StageSolver(null, eye(n, dtype: jacobian.dtype, device: jacobian.device).sub(hj));
        }

        public Tensor Solve(Tensor rhs) => _factors is not null ? _factors.Solve(rhs) : linalg.solve(_matrix!, rhs.unsqueeze(-1)).squeeze(-1);

        public void Dispose() => _factors?.Dispose();
    }
}
