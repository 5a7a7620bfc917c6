using TorchSharp;
using static TorchSharp.torch;
using Coefficients = NodeDsl.Runtime.Tableaus.RadauIIA5;

namespace NodeDsl.Runtime;

/// <summary>
/// A whole adaptive <see cref="Radau5"/> solve on host values for an <see cref="IHostRates"/> system (the native kernels),
/// with no tensor op per step: <see cref="HostRadau"/>'s stage algebra (the same code the tensor step loop runs through
/// <see cref="HostRadau.StepOnHost"/>), the same Jacobian and factorisation reuse as <see cref="RadauStepper{TFactors}"/>
/// (<see cref="JacobianReuse.IsStale"/>, <see cref="FactorizationReuse{TFactors}"/>), and the step driver's batch-mode
/// loop mirrored step for step (as <c>RungeKuttaIntegrator</c> mirrors it for explicit methods): the driver's first
/// step (computed once with tensors), error weights <c>atol + rtol·max(|y0|, |y1|)</c> and one RMS norm over the batch,
/// the solve's step-size controller, the 1 % stretch of the last step, the collocation polynomial at output times, the
/// evaluation counts and the same exceptions.
/// </summary>
internal sealed class StiffRadauLoop
{
    // The step driver's constants (StepDriver): Hairer's stretch of the last adaptive step, and the smallest step that still
    // moves a double time.
    const double AdaptiveStretch = 1.01;
    const double MachineEpsilon = 2.220446049250313e-16;

    readonly Radau5 _method;
    readonly IHostRates _f;
    readonly SolverOptions _options;
    readonly SolveCounters _counters = new();
    readonly HostRadau _radau;
    readonly FactorizationReuse<HostRadau.Factors> _factors;
    readonly int _batch, _n;
    readonly ScalarType _dtype;
    readonly Device _device;
    // The kept Jacobian: its version (for the factors), whether the next step needs a new one, whether it was taken at
    // the current step start (a retry cannot do better).
    double[]? _jacobian;
    int _version;
    bool _stale = true, _fresh;

    StiffRadauLoop(Radau5 method, IHostRates f, SolverOptions options, Tensor y0)
    {
        (_method, _f, _options) = (method, f, options);
        (_batch, _n, _dtype, _device) = ((int)y0.shape[0], (int)y0.shape[1], y0.dtype, y0.device);
        _radau = new HostRadau(options, JacobianMethod.Autograd, method.RefactorRatio, adaptive: true, _batch, _n, _dtype, _device);
        _factors = new FactorizationReuse<HostRadau.Factors>(method.RefactorRatio);
    }

    /// <summary>True when <paramref name="method"/> runs in this loop: adaptive, with exact Jacobians.</summary>
    public static bool Covers(Radau5 method) => method.IsAdaptiveRadau && method.Jacobian == JacobianMethod.Autograd;

    /// <summary>Solves with validated arguments (the contract of <see cref="IOdeSolver.Integrate"/>).</summary>
    public static OdeSolution Run(Radau5 method, IHostRates f, Tensor y0, Tensor ts, SolverOptions options)
        => new StiffRadauLoop(method, f, options, y0).Solve(y0, ts);

    OdeSolution Solve(Tensor y0Tensor, Tensor ts)
    {
        var times = SolveArguments.HostTimes(ts);
        int count = times.Length, size = _batch * _n;
        var controller = StepControl.For(_method, _options);
        int? errorOrder = _method.ErrorOrder;
        var tolerance = controller.Tolerance;
        var rtol = tolerance.RelativePerComponent ?? Enumerable.Repeat(tolerance.Relative, _n).ToArray();
        var atol = tolerance.AbsolutePerComponent ?? Enumerable.Repeat(tolerance.Absolute, _n).ToArray();
        double tEnd = times[^1], direction = Math.Sign(tEnd - times[0]), t = times[0];
        var y = HostRadau.Host(y0Tensor);
        var outputs = new double[count * size];
        y.CopyTo(outputs, 0);
        double[] f0;
        double hMagnitude;
        using (NewDisposeScope())
        {
            // f(t0, y0) and the first step exactly as the step driver takes them (tensors, once per solve).
            var rates = _counters.Rates(_f, torch.tensor(t, _dtype, _device), y0Tensor);
            SolveArguments.CheckRates(rates, y0Tensor);
            f0 = HostRadau.Host(rates);
            hMagnitude = controller.FirstStep is { } given ? Math.Min(given, controller.MaxStep)
                : InitialStepSize.Select(_f, y0Tensor, rates, t, direction, Math.Abs(tEnd - t), errorOrder!.Value, Tolerances.From(tolerance, y0Tensor),
                    controller.MaxStep, _counters, perTrajectory: false)[0];
        }
        var memory = new ControllerMemory();
        int accepted = 0, rejected = 0, next = 1;
        bool retry = false;
        IReadOnlyList<long>? blownUp = null;
        var dense = new double[size];
        while (true)
        {
            if (accepted + rejected >= _options.MaxSteps) throw new MaxStepsExceededException(t, _options.MaxSteps, tEnd);
            bool last = Math.Abs(tEnd - t) <= hMagnitude * AdaptiveStretch;
            double h = last ? tEnd - t : direction * hMagnitude;
            double t1 = last ? tEnd : t + h;
            if (t1 == t || Math.Abs(h) < 4 * MachineEpsilon * Math.Abs(t))
                throw blownUp is { Count: > 0 } rows ? new NonFiniteStateException(t, rows) : new StepSizeUnderflowException(t, h);

            using var step = StepPoint.Shared(t, h, _dtype, _device);
            var attempt = Attempt(step, y, f0, retry);
            double norm = attempt is null ? double.PositiveInfinity : ErrorNorm(attempt.Error!, y, attempt.Y1, rtol, atol);
            if (attempt is not null && !double.IsFinite(norm))
            {
                // A non-finite state or rate at the accepted point cannot be fixed by a smaller step.
                if (NonFiniteRows(y, f0) is { Count: > 0 } bad) throw new NonFiniteStateException(t, bad);
                blownUp = NonFiniteRows(attempt.Y1, attempt.Error!);
            }
            var decision = controller.Decide(Math.Abs(h), norm, errorOrder, ref memory);
            hMagnitude = decision.NextStepMagnitude;
            retry = !decision.Accept;
            if (!decision.Accept)
            {
                rejected++;
                continue;
            }
            blownUp = null;
            for (; next < count && (last || direction * (times[next] - t1) <= 0); next++)
            {
                double theta = (times[next] - t) / h;
                var output = outputs.AsSpan(next * size, size);
                if (theta == 1) attempt!.Y1.CopyTo(output);
                else Collocation(y, attempt!.Z, theta, output);
            }
            // f(t0 + 1·h, y1) at the time the driver uses (StepPoint.Time(1.0)), for the next step and its error estimate.
            y = attempt!.Y1;
            f0 = new double[size];
            _counters.FunctionEvaluations++;
            _f.Rates(t + 1.0 * h, y, f0);
            t = t1;
            accepted++;
            _radau.PromoteAll();
            var (iterations, rate) = _radau.LastIteration;
            _stale = JacobianReuse.IsStale(iterations, rate);
            _fresh = false;
            if (last) break;
        }
        var ys = HostTensors.Write<double>(outputs, count, _batch, _n);
        if (_dtype != ScalarType.Float64) ys = ys.to(_dtype);
        return new OdeSolution(ts, ys, new SolverStats
        {
            FunctionEvaluations = _counters.FunctionEvaluations, AcceptedSteps = accepted, RejectedSteps = rejected,
            JacobianEvaluations = _counters.JacobianEvaluations, Factorizations = _counters.Factorizations,
        });
    }

    // RadauStepper.Attempt on host values: the kept Jacobian (or a new one when the last step asked for it), the kept
    // factors while h stays in band, and one retry with a fresh Jacobian at y before the attempt is given up.
    HostRadau.HostStep? Attempt(StepPoint step, double[] y, double[] f0, bool retry)
    {
        if (_jacobian is null || _stale) Refresh(step.SharedTime, y);
        var stages = HostStageRates.For(_f, step, Coefficients.Coefficients.C, _batch, _n, _dtype, _device);
        while (true)
        {
            var jacobian = _jacobian!;
            var factors = _factors.Get(step, _version, () => _radau.FactorizeOnHost(jacobian, step, _counters));
            if (factors is not null && _radau.StepOnHost(stages, step, y, f0, factors, retry, _counters) is { } attempt) return attempt;
            _factors.Invalidate();
            if (_fresh) return null;
            Refresh(step.SharedTime, y);
        }
    }

    // The exact Jacobian at (t, y), counted as the autograd path counts it: one Jacobian, one evaluation.
    void Refresh(double t, double[] y)
    {
        _counters.JacobianEvaluations++;
        _counters.FunctionEvaluations++;
        _jacobian ??= new double[_batch * _n * _n];
        _f.Jacobian(t, y, _jacobian, default);
        _version++;
        (_stale, _fresh) = (false, true);
    }

    // The driver's weighted RMS norm over the whole batch: sqrt(mean((err / (atol + rtol·max(|y0|, |y1|)))²)).
    double ErrorNorm(double[] error, double[] y0, double[] y1, double[] rtol, double[] atol)
    {
        double sum = 0;
        for (int m = 0; m < error.Length; m++)
        {
            int k = m % _n;
            double scale = Math.Max(Math.Abs(y0[m]), Math.Abs(y1[m])) * rtol[k] + atol[k];
            double ratio = error[m] / scale;
            sum += ratio * ratio;
        }
        return Math.Sqrt(sum / error.Length);
    }

    // The step's collocation polynomial u(θ) = y0 + Σⱼ ℓⱼ(θ) Zⱼ (CollocationDenseOutput).
    void Collocation(double[] y0, double[] z, double theta, Span<double> output)
    {
        var w = Coefficients.Coefficients.DenseWeights(theta);
        int size = y0.Length;
        for (int m = 0; m < size; m++) output[m] = y0[m] + (w[0] * z[m] + w[1] * z[size + m] + w[2] * z[2 * size + m]);
    }

    // Rows where any of the values is not finite, ascending.
    List<long> NonFiniteRows(params double[][] values)
    {
        var rows = new List<long>();
        for (int b = 0; b < _batch; b++)
            if (values.Any(v => !AllFinite(v.AsSpan(b * _n, _n)))) rows.Add(b);
        return rows;
    }

    static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values) if (!double.IsFinite(v)) return false;
        return true;
    }
}
