using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The per-solve step logic of <see cref="Radau5"/> that does not depend on where the stage algebra runs: which Jacobian
/// and which factors a step uses (<see cref="JacobianReuse"/>, <see cref="FactorizationReuse{TFactors}"/>), retrying a
/// failed Newton iteration with a fresh Jacobian before giving the step up, and recognising retries of a rejected step
/// (which refine the error estimate). Subclasses do the algebra on tensors (<see cref="TensorRadau"/>) or on the host
/// (<see cref="HostRadau"/>).
/// </summary>
internal abstract class RadauStepper<TFactors>(SolverOptions options, JacobianMethod jacobianMethod, double refactorRatio, ScalarType dtype)
    : IRadauStepper where TFactors : class, IDisposable
{
    readonly JacobianReuse _jacobian = new(jacobianMethod);
    readonly FactorizationReuse<TFactors> _factors = new(refactorRatio);
    object? _attemptStart;

    protected SolverOptions Options { get; } = options;
    protected JacobianMethod JacobianMethod { get; } = jacobianMethod;
    protected NewtonControl Control { get; } = new(options, dtype, Radau5.MaxIterations);
    /// <summary>Newton iterations and largest contraction rate of the last converged attempt.</summary>
    protected int Iterations { get; set; }
    protected double Rate { get; set; }

    /// <summary>One attempt, or null when even a fresh Jacobian at y0 leaves the Newton iteration unconverged (or M singular).</summary>
    public StepAttempt? Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        bool retry = ReferenceEquals(_attemptStart, y0);
        _attemptStart = y0;
        var jacobian = _jacobian.Current(f, step.T0, y0, f0, counters);
        while (true)
        {
            var factors = _factors.Get(step, _jacobian.Version, () => Factorize(jacobian, step, counters));
            if (factors is not null && Step(f, step, y0, f0, factors, retry, counters) is { } attempt) return attempt;
            _factors.Invalidate();
            if (_jacobian.IsFreshAt(y0)) return null;
            jacobian = _jacobian.Refresh(f, step.T0, y0, f0, counters);
        }
    }

    /// <summary>After an accepted attempt: keep its polynomial for the next start values, and judge the Jacobian.</summary>
    public void Accepted(Tensor? acceptedRows)
    {
        Promote(acceptedRows);
        _jacobian.Accepted(Iterations, Rate);
    }

    /// <summary>The iteration matrices for this Jacobian and step, or null when one is singular or not finite.</summary>
    protected abstract TFactors? Factorize(Tensor jacobian, StepPoint step, SolveCounters counters);

    /// <summary>Solves the stage equations with <paramref name="factors"/> and builds the attempt; null when Newton fails.</summary>
    /// <param name="retry">True when this step was attempted before (rejected): the error estimate is refined.</param>
    protected abstract StepAttempt? Step(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, TFactors factors, bool retry, SolveCounters counters);

    /// <summary>Makes the last attempt's stages (of the accepted rows) the source of the next start values.</summary>
    protected abstract void Promote(Tensor? acceptedRows);

    /// <summary>Host copy of a <c>[batch, 1]</c> boolean mask (per-trajectory mode only).</summary>
    protected static bool[] HostMask(Tensor rows)
    {
        using var cpu = rows.reshape(-1).to(CPU);
        return cpu.data<bool>().ToArray();
    }

    /// <summary>Step of each row (one entry in batch mode).</summary>
    protected static double[] Steps(StepPoint step) => step.IsPerTrajectory ? [.. step.RowSteps] : [step.SharedStep];

    /// <summary>Start-value extrapolation ratios <c>h / h_previous</c> per row (0 where there is no previous step).</summary>
    protected static double[] Ratios(StepPoint step, double[] previous)
    {
        var ratio = new double[previous.Length];
        for (int r = 0; r < ratio.Length; r++)
        {
            double h = step.IsPerTrajectory ? step.RowSteps[r] : step.SharedStep;
            ratio[r] = previous[r] == 0 ? 0 : h / previous[r];
        }
        return ratio;
    }
}

/// <summary>The per-solve part of <see cref="Radau5"/>, whatever its stage algebra.</summary>
internal interface IRadauStepper
{
    /// <summary>One attempt, or null when the Newton iteration cannot converge even with a fresh Jacobian.</summary>
    StepAttempt? Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters);

    /// <summary>The last attempt was accepted (in per-trajectory mode: for the rows in <paramref name="acceptedRows"/>).</summary>
    void Accepted(Tensor? acceptedRows);
}
