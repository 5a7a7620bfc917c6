using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Automatic stiffness detection: integrates with an explicit Runge–Kutta method and switches to a stiff method for the
/// rest of the solve once the problem has looked stiff for a while; the switch and its time are reported in
/// <see cref="SolverStats.Switch"/>.
/// </summary>
/// <remarks>
/// <para>The test is Hairer's from DOPRI5 (Hairer, Nørsett &amp; Wanner, Solving ODEs I, §IV.2 "stiffness detection";
/// Shampine 1977): the last two stages of an FSAL method are both at <c>t0 + h</c>, so
/// <c>hλ ≈ h‖f(y1) − f(y_{s−1})‖ / ‖y1 − y_{s−1}‖ = ‖k_s − k_{s−1}‖ / ‖Σⱼ (a_sⱼ − a_{s−1,j}) kⱼ‖</c> estimates
/// h times the dominant eigenvalue along the step. An explicit method whose step is held at its stability boundary
/// (|hλ| ≈ 3.3 for Dopri5) is being limited by stability, not accuracy: after <see cref="StiffSteps"/> accepted steps with
/// hλ &gt; 3.25 (counted from the last run of <see cref="NonStiffSteps"/> non-stiff ones) the stiff method takes over.</para>
/// <para>The switch is one way and batch-wide. The estimate costs a few tensor ops and one host sync per accepted step
/// while the explicit method runs. A step depends on the history (which method is active), so the method is not
/// self-starting: the checkpointed adjoint solves its segments afresh (each detects stiffness again).</para>
/// </remarks>
public sealed class StiffnessSwitching : OneStepMethod
{
    /// <summary>Consecutive-ish stiff-looking accepted steps before switching (DOPRI5's 15).</summary>
    public const int StiffSteps = 15;
    /// <summary>Non-stiff-looking accepted steps that reset the count (DOPRI5's 6).</summary>
    public const int NonStiffSteps = 6;
    /// <summary>The hλ above which a step looks stiff (DOPRI5's 3.25, just inside Dopri5's stability boundary ≈ 3.3).</summary>
    public const double StabilityBoundary = 3.25;

    readonly ExplicitRungeKutta _nonStiff;
    readonly OneStepMethod _stiff;
    readonly double[] _difference;
    // Per-solve state.
    readonly SolverOptions? _options;
    readonly OneStepMethod? _stiffForSolve;
    Tensor? _estimate;
    int _stiffCount, _nonStiffCount;
    bool _switched, _reported;

    /// <summary>Creates a switching method.</summary>
    /// <param name="name">Registry name, e.g. "auto".</param>
    /// <param name="nonStiff">The explicit method; its tableau must be FSAL with its last two stages at <c>c = 1</c> (Dopri5, Tsit5).</param>
    /// <param name="stiff">The method that takes over, e.g. <see cref="Radau5"/>.</param>
    /// <exception cref="ArgumentException">The explicit tableau does not allow the estimate.</exception>
    public StiffnessSwitching(string name, ExplicitRungeKutta nonStiff, OneStepMethod stiff)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(nonStiff);
        ArgumentNullException.ThrowIfNull(stiff);
        var tab = nonStiff.Tableau;
        int s = tab.Stages;
        if (!tab.IsFsal || s < 3 || tab.C[s - 2] != 1 || tab.ErrorOrder is null)
            throw new ArgumentException($"'{nonStiff.Name}' cannot estimate stiffness: it needs an adaptive FSAL tableau whose last two stages are at c = 1 (e.g. dopri5, tsit5).", nameof(nonStiff));
        if (!stiff.IsAdaptive) throw new ArgumentException($"The stiff method '{stiff.Name}' must be adaptive.", nameof(stiff));
        (Name, _nonStiff, _stiff) = (name, nonStiff, stiff);
        // y1 − y_{s−1} = h Σⱼ (a_sⱼ − a_{s−1,j}) kⱼ (the FSAL stage's row is b).
        _difference = new double[s];
        for (int j = 0; j < s - 1; j++) _difference[j] = tab.A[s - 1][j] - (j < s - 2 ? tab.A[s - 2][j] : 0);
    }

    StiffnessSwitching(StiffnessSwitching shared, SolverOptions options) : this(shared.Name, shared._nonStiff, shared._stiff)
    {
        _options = options;
        _stiffForSolve = shared._stiff.ForSolve(options);
    }

    /// <inheritdoc />
    public override string Name { get; }
    /// <summary>The order of the method currently active (the explicit one's until the switch).</summary>
    public override int Order => _switched ? _stiff.Order : _nonStiff.Order;
    /// <summary>The error order of the method currently active; the driver reads it at every step.</summary>
    public override int? ErrorOrder => _switched ? _stiff.ErrorOrder : _nonStiff.ErrorOrder;
    /// <inheritdoc />
    public override bool IsSelfStarting => false;

    // It starts as its explicit method and must step exactly as that method does until it switches, so it takes the
    // explicit methods' default controller; the start-up phase has ended by then (a stiff step's error norm exceeds it).
    internal override bool StartsWithElementaryControl => true;
    /// <inheritdoc />
    public override bool ReplaysToRoundoff => _stiff.ReplaysToRoundoff;

    /// <inheritdoc />
    public override OneStepMethod ForSolve(SolverOptions options) => new StiffnessSwitching(this, options);

    /// <summary>A per-solve instance with default options; drivers call <see cref="ForSolve(SolverOptions)"/>.</summary>
    public override OneStepMethod ForSolve() => ForSolve(new SolverOptions());

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        if (_stiffForSolve is null)
            throw new InvalidOperationException($"'{Name}' keeps per-solve state: call ForSolve(options) and attempt steps on the instance it returns.");
        if (_switched)
        {
            if (!_reported)
            {
                counters.Switch = new MethodSwitch(step.IsPerTrajectory ? step.RowTimes.Min() : step.SharedTime, _nonStiff.Name, _stiff.Name);
                _reported = true;
            }
            return _stiffForSolve.Attempt(f, step, y0, f0, counters);
        }
        var attempt = _nonStiff.AttemptWithStages(f, step, y0, f0, counters, out var k);
        using (torch.no_grad())
        {
            _estimate?.Dispose();
            int s = k.Length;
            var dk = k[s - 1].detach().sub(k[s - 2].detach());
            Tensor? dy = null;
            for (int j = 0; j < s - 1; j++)
                if (_difference[j] != 0) dy = dy is null ? ScalarOps.Mul(k[j].detach(), _difference[j]) : ScalarOps.Add(dy, k[j].detach(), _difference[j]);
            // [‖Δk‖², ‖Σ w k‖²] over the batch; evaluated on the host only when the step is accepted.
            _estimate = torch.stack([ScalarOps.Square(dk).sum(), ScalarOps.Square(dy!).sum()]).DetachFromDisposeScope();
        }
        return attempt;
    }

    /// <inheritdoc />
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows)
    {
        if (_switched)
        {
            _stiffForSolve!.Accepted(step, attempt, acceptedRows);
            return;
        }
        if (_estimate is null) return;
        double[] e;
        using (var cpu = _estimate.to(ScalarType.Float64, CPU)) e = cpu.data<double>().ToArray(); // sync: stiffness estimate
        double hLambda = e[1] > 0 ? Math.Sqrt(e[0] / e[1]) : 0;
        if (hLambda > StabilityBoundary)
        {
            _nonStiffCount = 0;
            _switched = ++_stiffCount >= StiffSteps;
        }
        else if (++_nonStiffCount >= NonStiffSteps) _stiffCount = 0;
    }
}
