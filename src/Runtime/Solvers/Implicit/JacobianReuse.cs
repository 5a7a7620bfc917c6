using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Keeps the batched Jacobian <c>∂f/∂y</c> (<c>[batch, n, n]</c>) of an implicit method across steps while its simplified
/// Newton iteration converges fast, and asks for a new one only when it did not (Hairer &amp; Wanner, Solving ODEs II,
/// §IV.8; the rule of scipy's <c>Radau</c>: recompute after an accepted step that needed more than two iterations with a
/// contraction rate above 10⁻³). A step whose iteration fails with an old Jacobian is retried with a fresh one at its
/// own start before the step is given up (<see cref="IsFreshAt"/>, <see cref="Refresh"/>). One per solve.
/// </summary>
internal sealed class JacobianReuse(JacobianMethod method) : IDisposable
{
    /// <summary>Contraction rate above which a slow iteration triggers a new Jacobian (RADAU5's θ_J = 0.001).</summary>
    public const double RecomputeRate = 1e-3;

    Tensor? _jacobian;
    object? _point;
    bool _recompute = true;

    /// <summary>Increases with every evaluation, so factorisations built from an older Jacobian can tell.</summary>
    public int Version { get; private set; }

    /// <summary>The Jacobian to use for a step from <paramref name="y0"/>: the kept one, or a new one at <c>(t0, y0)</c> when none is kept or a new one was asked for.</summary>
    public Tensor Current(IOdeSystem f, Tensor t0, Tensor y0, Tensor f0, SolveCounters counters)
        => _jacobian is not null && !_recompute ? _jacobian : Refresh(f, t0, y0, f0, counters);

    /// <summary>True when the kept Jacobian was evaluated at this very state (a retry cannot do better).</summary>
    public bool IsFreshAt(Tensor y0) => _jacobian is not null && ReferenceEquals(_point, y0);

    /// <summary>Evaluates the Jacobian at <c>(t0, y0)</c> and keeps it.</summary>
    public Tensor Refresh(IOdeSystem f, Tensor t0, Tensor y0, Tensor f0, SolveCounters counters)
    {
        _jacobian?.Dispose();
        // Owned here, outside the step's dispose scope, so later steps can reuse it.
        _jacobian = RatesJacobian.Evaluate(f, t0, y0, f0, method, counters).DetachFromDisposeScope();
        _point = y0;
        _recompute = false;
        Version++;
        return _jacobian;
    }

    /// <summary>Records how the accepted step's iteration went: a slow one makes the next step start with a new Jacobian.</summary>
    /// <param name="iterations">Newton iterations of the step (the most over its stages).</param>
    /// <param name="rate">The largest contraction rate seen (0 after a single iteration).</param>
    public void Accepted(int iterations, double rate) => _recompute = IsStale(iterations, rate);

    /// <summary>True when an accepted step's iteration was slow enough that the next step should start with a new Jacobian.</summary>
    public static bool IsStale(int iterations, double rate) => iterations > 2 && rate > RecomputeRate;

    /// <summary>Releases the kept Jacobian.</summary>
    public void Dispose()
    {
        _jacobian?.Dispose();
        _jacobian = null;
        _point = null;
        _recompute = true;
    }
}
