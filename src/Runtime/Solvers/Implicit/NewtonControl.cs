namespace NodeDsl.Runtime;

/// <summary>What <see cref="NewtonControl.Judge"/> decided after one simplified Newton iteration.</summary>
internal enum NewtonVerdict
{
    /// <summary>Apply the increment and iterate again.</summary>
    Continue,
    /// <summary>Apply the increment and stop: the iterate is within the Newton tolerance.</summary>
    Converged,
    /// <summary>Stop without applying it: the iteration diverges or cannot reach the tolerance in the remaining iterations.</summary>
    Failed,
}

/// <summary>
/// The convergence control of a simplified Newton iteration, as in RADAU5 (Hairer &amp; Wanner, Solving ODEs II, §IV.8):
/// stop when <c>η‖Δ‖ ≤ κ</c> with <c>η = θ/(1 − θ)</c>, θ the contraction rate of the last two increments (before the
/// second iteration, η carried over from the previous solve as <c>max(η_old, u)^0.8</c>), ‖·‖ the RMS norm scaled by
/// <c>atol + rtol·|y|</c> and <c>κ = max(10u/rtol, min(0.03, √rtol))</c>; give up when θ ≥ 0.99 or when
/// <c>θ^(k_max − k)/(1 − θ)·‖Δ‖ &gt; κ</c> (eq. 8.14: the remaining iterations cannot get there). One per solve: η carries
/// from one solve of the stage equations to the next.
/// </summary>
internal sealed class NewtonControl
{
    readonly double _kappa, _roundoffFloor, _unitRoundoff;
    readonly int _maxIterations;
    double _eta = 1.0, _current, _previous;

    public NewtonControl(SolverOptions options, TorchSharp.torch.ScalarType dtype, int maxIterations)
    {
        _unitRoundoff = RatesJacobian.UnitRoundoff(dtype);
        // RADAU5's fnewt; rtol floored at 100u so pure-atol solves stay finite.
        double rtol = Math.Max(StepControl.Tolerance(options).SmallestRelative, 100 * _unitRoundoff);
        _kappa = Math.Max(10 * _unitRoundoff / rtol, Math.Min(0.03, Math.Sqrt(rtol)));
        // Increments below this are round-off in the scaled norm: no further progress is possible.
        _roundoffFloor = 10 * _unitRoundoff / rtol;
        _maxIterations = maxIterations;
    }

    /// <summary>The largest contraction rate of the current solve (0 until the second iteration).</summary>
    public double Rate { get; private set; }

    /// <summary>Starts a new solve of stage equations.</summary>
    /// <param name="trustPreviousRate">False makes the first iteration unable to converge on the carried-over η (e.g. the
    /// matrix is older than the last solve's): convergence then needs a measured contraction rate.</param>
    public void Start(bool trustPreviousRate = true)
    {
        _current = trustPreviousRate ? Math.Pow(Math.Max(_eta, _unitRoundoff), 0.8) : double.PositiveInfinity;
        _previous = 0;
        Rate = 0;
    }

    /// <summary>Judges iteration <paramref name="k"/> (from 0) whose scaled increment norm is <paramref name="norm"/>.</summary>
    public NewtonVerdict Judge(int k, double norm)
    {
        if (!double.IsFinite(norm)) return NewtonVerdict.Failed;
        if (k > 0)
        {
            double theta = norm / _previous;
            Rate = Math.Max(Rate, theta);
            if (theta >= 0.99 && norm > _roundoffFloor) return NewtonVerdict.Failed;
            if (theta < 1)
            {
                if (Math.Pow(theta, _maxIterations - 1 - k) / (1 - theta) * norm > _kappa) return NewtonVerdict.Failed;
                _current = theta / (1 - theta);
            }
        }
        if (norm == 0 || norm <= _roundoffFloor || _current * norm <= _kappa)
        {
            if (double.IsFinite(_current)) _eta = _current;
            return NewtonVerdict.Converged;
        }
        _previous = norm;
        return NewtonVerdict.Continue;
    }
}
