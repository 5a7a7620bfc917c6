using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Fourth-order Adams–Bashforth–Moulton predictor–corrector in PECE mode, fixed step (Hairer, Nørsett &amp; Wanner,
/// Solving ODEs I, §III.1): AB4 predicts, one AM4 correction, and the driver's <c>f(t1, y1)</c> for the next step is
/// the final evaluation. Two evaluations per step. The first three steps, and any step after the step size or the
/// time grid changed (e.g. a shortened last step), are classic RK4 steps that rebuild the history.
/// </summary>
/// <remarks>
/// The history of past rates lives in the per-solve instance (<see cref="ForSolve()"/>), filled through
/// <see cref="Accepted"/>, so the shared step driver runs this method like any one-step method.
/// </remarks>
public sealed class AdamsBashforthMoulton : OneStepMethod
{
    const int Steps = 4;
    // AB4: y1 = y0 + h/24 (55 f0 − 59 f₋₁ + 37 f₋₂ − 9 f₋₃); AM4: y1 = y0 + h/24 (9 f1 + 19 f0 − 5 f₋₁ + f₋₂).
    static readonly double[] Predictor = [55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24];
    static readonly double[] Corrector = [9.0 / 24, 19.0 / 24, -5.0 / 24, 1.0 / 24];
    // Two steps continue one grid when they agree to this fraction of h (the driver may accumulate t0 + i·h differently).
    const double GridTolerance = 1e-9;

    static readonly ExplicitRungeKutta Starter = new("rk4", Tableaus.Rk4.Tableau);

    // Per-solve state: rates at the starts of the last Steps − 1 accepted steps, oldest first.
    readonly List<Tensor> _history = [];
    Tensor? _pendingF0;
    double _pendingT0, _pendingH;
    double _lastEnd = double.NaN, _lastStep = double.NaN;

    /// <inheritdoc />
    public override string Name => "abm";
    /// <inheritdoc />
    public override int Order => 4;
    /// <inheritdoc />
    public override int? ErrorOrder => null;

    /// <inheritdoc />
    /// <remarks>A step uses the rates of the three previous steps.</remarks>
    public override bool IsSelfStarting => false;

    /// <summary>A fresh instance with an empty history.</summary>
    public override OneStepMethod ForSolve() => new AdamsBashforthMoulton();

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        // Per-row steps have no common grid: every step is an RK4 step then.
        if (step.IsPerTrajectory) return Starter.Attempt(f, step, y0, f0, counters);
        double t0 = step.SharedTime, h = step.SharedStep;
        if (!ContinuesGrid(t0, h)) ClearHistory();
        SetPending(f0, t0, h);
        if (_history.Count < Steps - 1) return Starter.Attempt(f, step, y0, f0, counters);

        Tensor[] past = [f0, _history[2], _history[1], _history[0]];
        var predicted = ExplicitRungeKutta.Combine(y0, Predictor, past, Steps, step);
        var fPredicted = counters.Rates(f, step.Time(1.0), predicted);
        Tensor[] corrector = [fPredicted, f0, _history[2], _history[1]];
        return new StepAttempt(ExplicitRungeKutta.Combine(y0, Corrector, corrector, Steps, step));
    }

    /// <inheritdoc />
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows)
    {
        if (_pendingF0 is null) return;
        // Re-alias inside the solve's dispose scope (see the base contract), so leftovers go with the solve.
        _history.Add(_pendingF0.alias());
        _pendingF0.Dispose();
        _pendingF0 = null;
        if (_history.Count > Steps - 1)
        {
            _history[0].Dispose();
            _history.RemoveAt(0);
        }
        (_lastEnd, _lastStep) = (_pendingT0 + _pendingH, _pendingH);
    }

    bool ContinuesGrid(double t0, double h)
        => Math.Abs(h - _lastStep) <= GridTolerance * Math.Abs(h) && Math.Abs(t0 - _lastEnd) <= GridTolerance * Math.Abs(h);

    void SetPending(Tensor f0, double t0, double h)
    {
        _pendingF0?.Dispose();
        // Outside the step's dispose scope until Accepted takes it over.
        _pendingF0 = f0.alias().DetachFromDisposeScope();
        (_pendingT0, _pendingH) = (t0, h);
    }

    void ClearHistory()
    {
        foreach (var old in _history) old.Dispose();
        _history.Clear();
    }
}
