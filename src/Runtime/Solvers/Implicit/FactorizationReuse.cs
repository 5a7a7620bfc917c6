namespace NodeDsl.Runtime;

/// <summary>
/// Keeps the LU factors of an implicit method's iteration matrices (built from a Jacobian and a step size) across steps
/// and attempts, and refactorises only when the Jacobian changed or the step size moved outside
/// <c>[h_f / MaxRatio, h_f · MaxRatio]</c> of the size <c>h_f</c> they were built with (Hairer &amp; Wanner, Solving ODEs II,
/// §IV.8: simplified Newton tolerates an approximate matrix; its contraction rate grows like <c>|h/h_f − 1|</c> in the stiff
/// components). With one step per row, every row must stay in the band, and a row whose step is zero (finished) must have
/// been zero.
/// </summary>
internal sealed class FactorizationReuse<TFactors>(double maxRatio) : IDisposable where TFactors : class, IDisposable
{
    TFactors? _factors;
    int _jacobianVersion = -1;
    double _h;
    double[]? _rows;

    /// <summary>Largest ratio between the current step and the factorised one (either way) that keeps the factors.</summary>
    public double MaxRatio { get; } = maxRatio >= 1 ? maxRatio : throw new ArgumentOutOfRangeException(nameof(maxRatio));

    /// <summary>True when the factors last returned were built for exactly the step they were returned for.</summary>
    public bool Exact { get; private set; }

    /// <summary>The factors for <paramref name="step"/>: the kept ones when still close enough, else <paramref name="factorize"/>'s (null: singular).</summary>
    public TFactors? Get(StepPoint step, int jacobianVersion, Func<TFactors?> factorize)
    {
        if (_factors is not null && _jacobianVersion == jacobianVersion && Close(step))
        {
            Exact = Same(step);
            return _factors;
        }
        Invalidate();
        Exact = true;
        _factors = factorize();
        _jacobianVersion = jacobianVersion;
        if (step.IsPerTrajectory) _rows = [.. step.RowSteps];
        else (_h, _rows) = (step.SharedStep, null);
        return _factors;
    }

    /// <summary>Drops the kept factors (e.g. after the iteration failed with them).</summary>
    public void Invalidate()
    {
        _factors?.Dispose();
        _factors = null;
    }

    /// <inheritdoc cref="Invalidate"/>
    public void Dispose() => Invalidate();

    bool Close(StepPoint step)
    {
        if (!step.IsPerTrajectory) return _rows is null && Within(step.SharedStep, _h);
        if (_rows is null || _rows.Length != step.RowSteps.Count) return false;
        for (int r = 0; r < _rows.Length; r++)
            if (!Within(step.RowSteps[r], _rows[r])) return false;
        return true;
    }

    bool Same(StepPoint step) => step.IsPerTrajectory ? _rows is not null && _rows.SequenceEqual(step.RowSteps) : step.SharedStep == _h;

    bool Within(double h, double factored)
    {
        if (h == 0 || factored == 0) return h == factored;
        double ratio = h / factored;
        return ratio > 0 && ratio <= MaxRatio && ratio >= 1 / MaxRatio;
    }
}
