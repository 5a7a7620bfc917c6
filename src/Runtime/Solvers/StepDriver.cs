using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The one integration loop shared by every <see cref="OneStepMethod"/>, adaptive or fixed-step: steps from <c>ts[0]</c>
/// to <c>ts[^1]</c> in either direction, never forces steps onto output times (values there come from each step's
/// dense output, so dense or irregular output grids add no steps), lands the last step exactly on <c>ts[^1]</c>,
/// counts evaluations and steps, and raises the solver exceptions.
/// </summary>
/// <remarks>
/// <para>The loop is written once over "lanes": each lane has its own time, step size and controller memory. How the
/// error estimate is reduced and how accepted lanes are merged is the <see cref="ErrorControl"/> policy:
/// <see cref="BatchControl"/> (one lane for the whole batch) or <see cref="PerTrajectoryControl"/> (one lane per row).</para>
/// <para><see cref="ErrorNorm.Batch"/>: one error norm and one step for the whole batch; one host sync per step (the
/// accept/reject decision). Cheapest per step, but the stiffest or fastest row sets the step for all.</para>
/// <para><see cref="ErrorNorm.PerTrajectory"/>: one norm, time and step per row; rows accept or reject independently
/// (masks with <c>torch.where</c>) and finished rows stop moving (<c>h = 0</c>). Still one host sync per step (the
/// <c>[batch]</c> norms), but every step costs a few more ops (per-row <c>h</c>, masks) and evaluates f on all rows,
/// including rejected and finished ones. Worth it when rows need very different steps. Statistics count driver
/// iterations: an iteration is "accepted" when at least one row was accepted.</para>
/// <para>Fixed-step methods always run in batch mode: every row takes the same steps anyway.</para>
/// <para>Observers (<see cref="StepObserver"/>: step log, state jumps) need batch mode.</para>
/// <para>Handle ownership: the loop owns every state and rates handle it keeps between steps (its own alias of anything
/// it did not create) and disposes a superseded one unless it is the caller's <c>y0</c>.</para>
/// <para>Time is kept on the host in double precision; gradients flow through the states, not through <c>ts</c>.</para>
/// </remarks>
internal sealed partial class StepDriver
{
    // Hairer's DOPRI5 stretches the last step by up to 1% to land on the end instead of leaving a sliver.
    const double AdaptiveStretch = 1.01;
    // Fixed steps only absorb round-off in the accumulated time.
    const double FixedStretch = 1 + 1e-9;
    // Unit round-off of the host time (double); a step below 4·eps·|t| no longer moves t reliably.
    const double MachineEpsilon = 2.220446049250313e-16;

    readonly OneStepMethod _baseMethod;
    OneStepMethod _method;
    readonly IStepSizeController _controller;
    readonly ErrorControl _control;
    readonly IOdeSystem _system;
    readonly SolverOptions _options;
    readonly SolveCounters _counters = new();
    readonly double[] _times;
    readonly double _direction;
    readonly ScalarType _dtype;
    readonly Device _device;
    readonly StepObserver? _observer;
    readonly Tensor _y0;
    readonly Tensor?[] _outputs;
    readonly double _timeResolution;
    int _accepted, _rejected;

    StepDriver(OneStepMethod method, IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StepObserver? observer)
    {
        _baseMethod = method;
        _method = method.ForSolve(options);
        _observer = observer;
        _system = system;
        _options = options;
        _times = SolveArguments.HostTimes(ts);
        _timeResolution = Resolution(ts.dtype);
        _direction = Math.Sign(_times[^1] - _times[0]);
        _dtype = y0.dtype;
        _device = y0.device;
        _y0 = y0;
        _outputs = new Tensor?[_times.Length];
        _controller = StepControl.For(method, options);
        _control = IsBatchMode(method, options) ? new BatchControl(this) : new PerTrajectoryControl(this, (int)y0.shape[0]);
    }

    /// <summary>
    /// Integrates with validated arguments (see <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?)"/>).
    /// An <paramref name="observer"/> (batch mode only) sees every accepted step and output and may make the state jump
    /// at output times; with jumps the outputs are the states before the jumps.
    /// </summary>
    public static OdeSolution Run(OneStepMethod method, IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StepObserver? observer = null)
    {
        if (observer is not null && !IsBatchMode(method, options))
            throw new InvalidOperationException("Step observers (logs, jumps) need a batch-mode solve (ErrorNorm.Batch or a fixed-step method).");
        var driver = new StepDriver(method, system, y0, ts, options, observer);
        using var scope = NewDisposeScope();
        driver.Loop(scope);
        var ys = torch.stack(driver._outputs!);
        return new OdeSolution(ts, ys.MoveToOuterDisposeScope(), driver.Stats);
    }

    /// <summary>True when a solve with these options runs in batch mode, where <see cref="Run"/> takes an observer.</summary>
    public static bool IsBatchMode(OneStepMethod method, SolverOptions options)
        => !(method.IsAdaptive && options.Norm == ErrorNorm.PerTrajectory);

    SolverStats Stats => new()
    {
        FunctionEvaluations = _counters.FunctionEvaluations,
        AcceptedSteps = _accepted,
        RejectedSteps = _rejected,
        JacobianEvaluations = _counters.JacobianEvaluations,
        Factorizations = _counters.Factorizations,
        Switch = _counters.Switch,
    };

    double TEnd => _times[^1];

    bool Reached(double outputTime, double t1) => _direction * (outputTime - t1) <= 0;

    // An output time within rounding of a step's end, in the precision of ts itself, is that step's end: a fixed-step
    // grid t0 + Σh and a float32 or linspace output grid differ in their last bits, and interpolating across those bits
    // would cost a dense-output evaluation per output to move the result by less than ts can express.
    bool AtStepEnd(double outputTime, double t1) => Math.Abs(outputTime - t1) <= 4 * _timeResolution * Math.Max(Math.Abs(outputTime), Math.Abs(t1));

    static double Resolution(ScalarType timeType) => timeType switch
    {
        ScalarType.Float32 => 1.1920928955078125e-7,
        ScalarType.Float16 => 9.765625e-4,
        ScalarType.BFloat16 => 7.8125e-3,
        _ => MachineEpsilon,
    };

    void Loop(DisposeScope solveScope)
    {
        int lanes = _control.Lanes;
        _outputs[0] = _y0;
        var t = Enumerable.Repeat(_times[0], lanes).ToArray();
        var y = _y0;
        var f = Own(FirstRates(_y0, _times[0]), solveScope);
        bool adaptive = _method.IsAdaptive;
        var tolerances = Tolerances.From(_controller.Tolerance, _y0);
        var hMagnitude = FirstSteps(f, tolerances, lanes);
        var memory = new ControllerMemory[lanes];
        var done = new bool[lanes];
        var blownUp = new IReadOnlyList<long>?[lanes];
        var h = new double[lanes];
        var t1 = new double[lanes];
        var last = new bool[lanes];
        var accept = new bool[lanes];
        while (done.Any(d => !d))
        {
            if (_accepted + _rejected >= _options.MaxSteps)
                throw new MaxStepsExceededException(Enumerable.Range(0, lanes).Where(l => !done[l]).Min(l => t[l]), _options.MaxSteps, TEnd);
            double target = _control.Target;
            for (int l = 0; l < lanes; l++)
            {
                if (done[l]) { h[l] = 0; t1[l] = t[l]; continue; }
                double remaining = Math.Abs(target - t[l]);
                last[l] = remaining <= hMagnitude[l] * (adaptive ? AdaptiveStretch : FixedStretch);
                h[l] = last[l] ? target - t[l] : _direction * hMagnitude[l];
                t1[l] = last[l] ? target : t[l] + h[l];
                if (t1[l] == t[l] || Math.Abs(h[l]) < 4 * MachineEpsilon * Math.Abs(t[l]))
                    throw blownUp[l] is { Count: > 0 } rows ? new NonFiniteStateException(t[l], rows) : new StepSizeUnderflowException(t[l], h[l]);
            }

            using var step = _control.Step(t, h);
            Accepted? accepted = null;
            using (var stepScope = NewDisposeScope())
            {
                var attempt = _method.Attempt(_system, step, y, f, _counters);
                var norms = attempt.Failed ? Enumerable.Repeat(double.PositiveInfinity, lanes).ToArray() : _control.ErrorNorms(attempt, tolerances, y, t);
                if (!attempt.Failed && norms.Any(n => !double.IsFinite(n)))
                {
                    // A non-finite state or rate at the accepted point cannot be fixed by a smaller step.
                    if (NonFiniteRows.Of(y, f) is { Count: > 0 } bad) throw new NonFiniteStateException(t[_control.LaneOf(bad[0])], bad);
                    for (int l = 0; l < lanes; l++) blownUp[l] = double.IsFinite(norms[l]) ? null : _control.BlownUpRows(l, attempt);
                }
                bool any = false;
                for (int l = 0; l < lanes; l++)
                {
                    accept[l] = false;
                    if (done[l]) continue;
                    var decision = _controller.Decide(Math.Abs(h[l]), norms[l], _method.ErrorOrder, ref memory[l]);
                    accept[l] = decision.Accept;
                    hMagnitude[l] = decision.NextStepMagnitude;
                    any |= decision.Accept;
                }
                if (any)
                {
                    accepted = _control.Advance(step, attempt, y, f, t, t1, last, accept, stepScope);
                    Release(y, accepted.Y);
                    Release(f, accepted.F);
                    (y, f) = (accepted.Y, accepted.F);
                    for (int l = 0; l < lanes; l++)
                    {
                        if (!accept[l]) continue;
                        blownUp[l] = null;
                        t[l] = t1[l];
                        done[l] = last[l] && t1[l] == TEnd;
                    }
                }
            }
            if (accepted is null) { _rejected++; continue; }
            _accepted++;
            _method.Accepted(step, new StepAttempt(y) { F1 = f }, accepted.Rows);
            accepted.Rows?.Dispose();
            // A jump makes the rates history of a multistep method invalid: start it afresh.
            if (accepted.Jumped) _method = _baseMethod.ForSolve(_options);
            _observer?.StepAccepted(_accepted, step.SharedTime, step.SharedStep, y, f, hMagnitude[0]);
        }
    }

    // The first step magnitude of each lane: the fixed step, the controller's first step (capped by its max step) or
    // Hairer's heuristic.
    double[] FirstSteps(Tensor f0, Tolerances tolerances, int lanes)
    {
        if (!_method.IsAdaptive) return Enumerable.Repeat(_options.StepSize!.Value, lanes).ToArray();
        if (_controller.FirstStep is { } given) return Enumerable.Repeat(Math.Min(given, _controller.MaxStep), lanes).ToArray();
        return InitialStepSize.Select(_system, _y0, f0, _times[0], _direction, Math.Abs(TEnd - _times[0]),
            _method.ErrorOrder!.Value, tolerances, _controller.MaxStep, _counters, perTrajectory: _control.PerTrajectory);
    }

    // f(t0, y0), checked before anything uses it (SolveArguments.CheckRates).
    Tensor FirstRates(Tensor y0, double t0)
    {
        var f = _counters.Rates(_system, torch.tensor(t0, _dtype, _device), y0);
        SolveArguments.CheckRates(f, y0);
        return f;
    }

    // The state and rates after an accepted step (the loop's own handles, outside the step's scope), the accepted-rows
    // mask of per-trajectory control, and whether the state jumped.
    sealed record Accepted(Tensor Y, Tensor F, Tensor? Rows, bool Jumped);

    // The driver disposes the states it supersedes, so it must own their handles: a tensor made in this scope is ours;
    // anything else (the caller's y0, a constant tensor the rates function returns) gets a handle of our own.
    static Tensor Own(Tensor x, DisposeScope scope) => scope.Contains(x) ? x : x.alias();

    // Moves a tensor that must outlive the step into the solve scope, taking our own handle when it is not ours.
    static Tensor KeepOutside(Tensor x, DisposeScope stepScope) => Own(x, stepScope).MoveToOuterDisposeScope();

    // Disposes the handle of a superseded state unless it is the caller's tensor or is being kept.
    void Release(Tensor old, Tensor kept)
    {
        if (!ReferenceEquals(old, _y0) && !ReferenceEquals(old, kept)) old.Dispose();
    }
}
