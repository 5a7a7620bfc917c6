using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The integrator loop shared by every <see cref="OneStepMethod"/>, adaptive or fixed-step: steps from <c>ts[0]</c>
/// to <c>ts[^1]</c> in either direction, never forces steps onto output times (values there come from each step's
/// dense output, so dense or irregular output grids add no steps), lands the last step exactly on <c>ts[^1]</c>,
/// counts evaluations and steps, and raises the solver exceptions.
/// </summary>
/// <remarks>
/// <para><see cref="ErrorNorm.Batch"/>: one error norm and one step for the whole batch; one host sync per step (the
/// accept/reject decision). Cheapest per step, but the stiffest or fastest row sets the step for all.</para>
/// <para><see cref="ErrorNorm.PerTrajectory"/>: one norm, time and step per row; rows accept or reject independently
/// (masks with <c>torch.where</c>) and finished rows stop moving (<c>h = 0</c>). Still one host sync per step (the
/// <c>[batch]</c> norms), but every step costs a few more ops (per-row <c>h</c>, masks) and evaluates f on all rows,
/// including rejected and finished ones. Worth it when rows need very different steps. Statistics count driver
/// iterations: an iteration is "accepted" when at least one row was accepted.</para>
/// <para>Fixed-step methods always run in batch mode: every row takes the same steps anyway.</para>
/// <para>Time is kept on the host in double precision; gradients flow through the states, not through <c>ts</c>.</para>
/// </remarks>
internal sealed class StepDriver
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
    readonly IOdeSystem _system;
    readonly SolverOptions _options;
    readonly SolveCounters _counters = new();
    readonly double[] _times;
    readonly double _direction;
    readonly ScalarType _dtype;
    readonly Device _device;
    readonly StepLog? _log;
    readonly Func<int, Tensor, Tensor>? _jump;

    StepDriver(OneStepMethod method, IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StepLog? log, Func<int, Tensor, Tensor>? jump)
    {
        _baseMethod = method;
        _method = method.ForSolve(options);
        (_log, _jump) = (log, jump);
        _system = system;
        _options = options;
        _times = SolveArguments.HostTimes(ts);
        _direction = Math.Sign(_times[^1] - _times[0]);
        _dtype = y0.dtype;
        _device = y0.device;
        _controller = method.IsAdaptive
            ? options.StepSizeController ?? PIController.FromOptions(options)
            : new ConstantStepController(options.StepSize!.Value);
    }

    /// <summary>Integrates with validated arguments (see <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?)"/>).</summary>
    public static OdeSolution Run(OneStepMethod method, IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options)
        => Run(method, system, y0, ts, options, log: null, jump: null);

    /// <summary>True when a solve with these options runs in batch mode, where <see cref="Run(OneStepMethod, IOdeSystem, Tensor, Tensor, SolverOptions, StepLog?, Func{int, Tensor, Tensor}?)"/> takes a log and jumps.</summary>
    public static bool IsBatchMode(OneStepMethod method, SolverOptions options)
        => !(method.IsAdaptive && options.Norm == ErrorNorm.PerTrajectory);

    /// <summary>
    /// Integrates as <see cref="Run(OneStepMethod, IOdeSystem, Tensor, Tensor, SolverOptions)"/>, in batch mode only, with
    /// two hooks of the adjoint methods. <paramref name="log"/> records every accepted step (for
    /// <see cref="StepReplay"/>). <paramref name="jump"/> makes the solve stop at every output time and continue from
    /// <c>jump(i, y(t_i))</c> at intermediate outputs <c>0 &lt; i &lt; T − 1</c> (the backsolve adjoint adds <c>∂L/∂y(t_i)</c>
    /// there), re-evaluating the rates and restarting the method's history but keeping the step-size controller's state;
    /// the outputs are the states before the jumps.
    /// </summary>
    public static OdeSolution Run(OneStepMethod method, IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options, StepLog? log, Func<int, Tensor, Tensor>? jump)
    {
        var driver = new StepDriver(method, system, y0, ts, options, log, jump);
        using var scope = NewDisposeScope();
        bool batch = IsBatchMode(method, options);
        if (!batch && (log is not null || jump is not null))
            throw new InvalidOperationException("Step logs and jumps need a batch-mode solve (ErrorNorm.Batch or a fixed-step method).");
        var outputs = batch ? driver.RunShared(y0, scope) : driver.RunPerTrajectory(y0, scope);
        var ys = torch.stack(outputs);
        var stats = driver.Stats;
        return new OdeSolution(ts, ys.MoveToOuterDisposeScope(), stats);
    }

    int _accepted, _rejected;

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

    Tensor TimeTensor(double t) => torch.tensor(t, _dtype, _device);

    bool Reached(double outputTime, double t1) => _direction * (outputTime - t1) <= 0;

    Tensor[] RunShared(Tensor y0, DisposeScope solveScope)
    {
        int count = _times.Length;
        var outputs = new Tensor[count];
        outputs[0] = y0;
        double t = _times[0];
        var y = y0;
        var f = Own(FirstRates(y0, t), solveScope);
        bool adaptive = _method.IsAdaptive;
        double hMagnitude = adaptive
            ? _options.FirstStep is { } given ? Math.Min(given, _options.MaxStep) : InitialStepSize.Select(_system, y0, f, t, _direction, Math.Abs(TEnd - t),
                _method.ErrorOrder!.Value, Tolerances.From(_options, y0), _options.MaxStep, _counters, perTrajectory: false)[0]
            : _options.StepSize!.Value;
        var tolerances = Tolerances.From(_options, y0);
        var memory = default(ControllerMemory);
        IReadOnlyList<long>? blownUpRows = null;
        int next = 1;
        while (next < count)
        {
            if (_accepted + _rejected >= _options.MaxSteps) throw new MaxStepsExceededException(t, _options.MaxSteps, TEnd);
            // With jumps the solve stops at every output time (the state changes there); otherwise only at the end.
            double target = _jump is null ? TEnd : _times[next];
            double remaining = Math.Abs(target - t);
            bool last = remaining <= hMagnitude * (adaptive ? AdaptiveStretch : FixedStretch);
            double h = last ? target - t : _direction * hMagnitude;
            double t1 = last ? target : t + h;
            // Lands on an intermediate output time where the state jumps.
            bool jumps = _jump is not null && last && next < count - 1;
            if (t1 == t || Math.Abs(h) < 4 * MachineEpsilon * Math.Abs(t))
                throw blownUpRows is { Count: > 0 } ? new NonFiniteStateException(t, blownUpRows) : new StepSizeUnderflowException(t, h);

            using var step = StepPoint.Shared(t, h, _dtype, _device);
            StepAttempt? accepted = null;
            StepDecision decision;
            using (var stepScope = NewDisposeScope())
            {
                var attempt = _method.Attempt(_system, step, y, f, _counters);
                double norm = 0;
                if (attempt.Failed) norm = double.PositiveInfinity;
                else if (adaptive)
                {
                    using var noGrad = torch.no_grad();
                    var scale = tolerances.Scale(y, attempt.Y1);
                    norm = HostScalar(_method.ErrorNorm(attempt, scale, perTrajectory: false)); // sync: step acceptance
                }
                else
                {
                    using var noGrad = torch.no_grad();
                    // sync: fixed steps have no acceptance decision; this one scalar catches NaN/Inf (a sum of finite
                    // values may overflow, so the failure path checks the rows before throwing).
                    if (!double.IsFinite(HostScalar(attempt.Y1.sum())) && NonFiniteRows.Of(attempt.Y1) is { Count: > 0 } rows)
                        throw new NonFiniteStateException(t, rows);
                }
                if (!attempt.Failed && !double.IsFinite(norm))
                {
                    // A non-finite state or rate at the accepted point cannot be fixed by a smaller step.
                    if (NonFiniteRows.Of(y, f) is { Count: > 0 } rows) throw new NonFiniteStateException(t, rows);
                    blownUpRows = NonFiniteRows.Of(attempt.Y1, attempt.ErrorEstimate);
                }
                decision = _controller.Decide(Math.Abs(h), norm, _method.ErrorOrder, ref memory);
                if (decision.Accept)
                {
                    blownUpRows = null;
                    var y1 = attempt.Y1;
                    // f1 is evaluated when something needs it: the Hermite interpolant or the next step (not when a jump
                    // replaces y1 anyway).
                    var f1 = attempt.F1;
                    var dense = attempt.Dense;
                    for (; next < count && ((last && _jump is null) || Reached(_times[next], t1)); next++)
                    {
                        double theta = (_times[next] - t) / h;
                        var value = theta == 1 ? y1.alias() : (dense ??= new HermiteDenseOutput(step, y, f, y1, f1 ??= _counters.Rates(_system, step.Time(1.0), y1))).At(theta);
                        outputs[next] = KeepOutside(value, stepScope);
                        _log?.Output(next, _accepted, theta);
                    }
                    if (jumps)
                    {
                        y1 = _jump!(next - 1, y1);
                        f1 = _counters.Rates(_system, step.Time(1.0), y1);
                    }
                    else f1 ??= _counters.Rates(_system, step.Time(1.0), y1);
                    Release(y, y0, y1);
                    Release(f, y0, f1);
                    y = KeepOutside(y1, stepScope);
                    f = KeepOutside(f1, stepScope);
                    t = t1;
                    accepted = new StepAttempt(y) { F1 = f };
                }
            }
            if (accepted is not null)
            {
                _accepted++;
                _method.Accepted(step, accepted, null);
                // A jump makes the rates history of a multistep method invalid: start it afresh.
                if (jumps) _method = _baseMethod.ForSolve(_options);
                _log?.Accepted(step.SharedTime, step.SharedStep, accepted.Y1, accepted.F1!, decision.NextStepMagnitude);
            }
            else _rejected++;
            hMagnitude = decision.NextStepMagnitude;
        }
        return outputs;
    }

    // f(t0, y0), checked before anything uses it (SolveArguments.CheckRates).
    Tensor FirstRates(Tensor y0, double t0)
    {
        var f = _counters.Rates(_system, TimeTensor(t0), y0);
        SolveArguments.CheckRates(f, y0);
        return f;
    }

    // One scalar to the host, whatever the state's floating dtype.
    static double HostScalar(Tensor x) => x.dtype switch
    {
        ScalarType.Float64 => x.item<double>(),
        ScalarType.Float32 => x.item<float>(),
        _ => x.to(ScalarType.Float64).item<double>(),
    };

    // The driver disposes the states it supersedes, so it must own their handles: a tensor made in this scope is ours;
    // anything else (the caller's y0, a constant tensor the rates function returns) gets a handle of our own.
    static Tensor Own(Tensor x, DisposeScope scope) => scope.Contains(x) ? x : x.alias();

    // Moves a tensor that must outlive the step into the solve scope, taking our own handle when it is not ours.
    static Tensor KeepOutside(Tensor x, DisposeScope stepScope) => Own(x, stepScope).MoveToOuterDisposeScope();

    // Disposes the handle of a superseded state unless it is the caller's tensor or is being kept.
    static void Release(Tensor old, Tensor? callers, Tensor kept)
    {
        if (!ReferenceEquals(old, callers) && !ReferenceEquals(old, kept)) old.Dispose();
    }

    Tensor[] RunPerTrajectory(Tensor y0, DisposeScope solveScope)
    {
        int count = _times.Length, rows = (int)y0.shape[0];
        var outputs = new Tensor?[count];
        outputs[0] = y0;
        var t = Enumerable.Repeat(_times[0], rows).ToArray();
        var y = y0;
        var f = Own(FirstRates(y0, _times[0]), solveScope);
        var tolerances = Tolerances.From(_options, y0);
        var hMagnitude = _options.FirstStep is { } first
            ? Enumerable.Repeat(Math.Min(first, _options.MaxStep), rows).ToArray()
            : InitialStepSize.Select(_system, y0, f, _times[0], _direction, Math.Abs(TEnd - _times[0]),
                _method.ErrorOrder!.Value, tolerances, _options.MaxStep, _counters, perTrajectory: true);
        var memory = new ControllerMemory[rows];
        var done = new bool[rows];
        var nextOutput = Enumerable.Repeat(1, rows).ToArray();
        var blownUp = new bool[rows];
        var h = new double[rows];
        var last = new bool[rows];
        var accept = new bool[rows];
        int iterations = 0;
        while (done.Any(d => !d))
        {
            if (iterations++ >= _options.MaxSteps)
                throw new MaxStepsExceededException(Enumerable.Range(0, rows).Where(r => !done[r]).Min(r => t[r]), _options.MaxSteps, TEnd);
            for (int r = 0; r < rows; r++)
            {
                if (done[r]) { h[r] = 0; continue; }
                double remaining = Math.Abs(TEnd - t[r]);
                last[r] = remaining <= hMagnitude[r] * AdaptiveStretch;
                h[r] = last[r] ? TEnd - t[r] : _direction * hMagnitude[r];
                if (t[r] + h[r] == t[r] || Math.Abs(h[r]) < 4 * MachineEpsilon * Math.Abs(t[r]))
                    throw blownUp[r] ? new NonFiniteStateException(t[r], [r]) : new StepSizeUnderflowException(t[r], h[r]);
            }
            using var step = StepPoint.PerTrajectory(t, h, _dtype, _device);
            StepAttempt? acceptedAttempt = null;
            Tensor? acceptedMask = null;
            using (var stepScope = NewDisposeScope())
            {
                var attempt = _method.Attempt(_system, step, y, f, _counters);
                double[] norms;
                using (torch.no_grad())
                {
                    if (attempt.Failed) norms = Enumerable.Repeat(double.PositiveInfinity, rows).ToArray();
                    else
                    {
                        var scale = tolerances.Scale(y, attempt.Y1);
                        using var cpu = _method.ErrorNorm(attempt, scale, perTrajectory: true).to(ScalarType.Float64, CPU); // sync: step acceptance
                        norms = cpu.data<double>().ToArray();
                    }
                }
                if (!attempt.Failed && norms.Any(n => !double.IsFinite(n)))
                {
                    if (NonFiniteRows.Of(y, f) is { Count: > 0 } bad) throw new NonFiniteStateException(t[(int)bad[0]], bad);
                    for (int r = 0; r < rows; r++) blownUp[r] = !double.IsFinite(norms[r]);
                }
                bool anyAccepted = false;
                for (int r = 0; r < rows; r++)
                {
                    accept[r] = false;
                    if (done[r]) continue;
                    var decision = _controller.Decide(Math.Abs(h[r]), norms[r], _method.ErrorOrder, ref memory[r]);
                    accept[r] = decision.Accept;
                    hMagnitude[r] = decision.NextStepMagnitude;
                    anyAccepted |= decision.Accept;
                }
                if (anyAccepted)
                {
                    var mask = torch.tensor(accept, new long[] { rows, 1 }, device: _device);
                    var y1 = attempt.Y1;
                    var f1 = attempt.F1 ?? _counters.Rates(_system, step.Time(1.0), y1);
                    var dense = attempt.Dense ?? new HermiteDenseOutput(step, y, f, y1, f1);
                    WriteOutputs(outputs, dense, nextOutput, t, h, last, accept, stepScope);
                    var yNext = torch.where(mask, y1, y);
                    var fNext = torch.where(mask, f1, f);
                    Release(y, y0, yNext);
                    f.Dispose();
                    y = KeepOutside(yNext, stepScope);
                    f = KeepOutside(fNext, stepScope);
                    acceptedMask = mask.MoveToOuterDisposeScope();
                    acceptedAttempt = new StepAttempt(y) { F1 = f };
                    for (int r = 0; r < rows; r++)
                    {
                        if (!accept[r]) continue;
                        blownUp[r] = false;
                        t[r] = last[r] ? TEnd : t[r] + h[r];
                        done[r] = last[r];
                    }
                }
            }
            if (acceptedAttempt is not null)
            {
                _accepted++;
                _method.Accepted(step, acceptedAttempt, acceptedMask);
                acceptedMask!.Dispose();
            }
            else _rejected++;
        }
        return outputs!;
    }

    // Output times covered by the accepted rows' steps: each row gets its own θ; other rows keep what they have.
    void WriteOutputs(Tensor?[] outputs, IDenseOutput dense, int[] nextOutput, double[] t, double[] h, bool[] last, bool[] accept, DisposeScope stepScope)
    {
        int rows = t.Length, first = int.MaxValue, end = 0;
        var lastCovered = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            lastCovered[r] = nextOutput[r] - 1;
            if (!accept[r]) continue;
            while (lastCovered[r] + 1 < outputs.Length && (last[r] || Reached(_times[lastCovered[r] + 1], t[r] + h[r]))) lastCovered[r]++;
            first = Math.Min(first, nextOutput[r]);
            end = Math.Max(end, lastCovered[r]);
        }
        var theta = new double[rows];
        var covers = new bool[rows];
        for (int k = first; k <= end; k++)
        {
            bool any = false, all = true;
            for (int r = 0; r < rows; r++)
            {
                covers[r] = accept[r] && nextOutput[r] <= k && k <= lastCovered[r];
                theta[r] = covers[r] ? (_times[k] - t[r]) / h[r] : 0;
                any |= covers[r];
                all &= covers[r];
            }
            if (!any) continue;
            var value = dense.At(torch.tensor(theta, new long[] { rows, 1 }, _dtype, _device));
            var previous = outputs[k];
            // The first row to reach output k fills it for all rows; later rows overwrite their own entries.
            var merged = previous is null || all ? value : torch.where(torch.tensor(covers, new long[] { rows, 1 }, device: _device), value, previous);
            outputs[k] = KeepOutside(merged, stepScope);
            previous?.Dispose();
            for (int r = 0; r < rows; r++) if (covers[r]) nextOutput[r] = k + 1;
        }
    }
}
