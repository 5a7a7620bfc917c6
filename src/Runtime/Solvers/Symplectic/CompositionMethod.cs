using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A composition method <c>Φ_h = Φ_{γ_s h} ∘ … ∘ Φ_{γ_1 h}</c> of a fixed-step base method (Hairer, Lubich &amp; Wanner,
/// Geometric Numerical Integration, §II.4). Composing a symmetric method of order 2 with <see cref="YoshidaCoefficients"/>
/// gives order 4; a composition of symplectic steps is symplectic.
/// </summary>
/// <remarks>
/// Every sub-step is a full <see cref="OneStepMethod.Attempt"/> of the base method with its own start time
/// <c>t0 + (γ_1 + … + γ_{i−1}) h</c> and step <c>γ_i h</c> (negative γ step backwards). The rates at the start of a
/// sub-step are the base method's <see cref="StepAttempt.F1"/> when it has them, otherwise one evaluation.
/// </remarks>
public sealed class CompositionMethod : OneStepMethod
{
    readonly OneStepMethod _base;
    readonly double[] _gammas;
    readonly int _order;

    /// <summary>Composes <paramref name="baseMethod"/> with the sub-step fractions <paramref name="gammas"/>.</summary>
    /// <param name="name">Registry name, e.g. "yoshida4".</param>
    /// <param name="baseMethod">A fixed-step method (no error estimate).</param>
    /// <param name="gammas">Sub-step fractions of h; they must sum to 1.</param>
    /// <param name="order">Order of the composition (the coefficients' design order, e.g. 4 for Yoshida's).</param>
    public CompositionMethod(string name, OneStepMethod baseMethod, IReadOnlyList<double> gammas, int order)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(baseMethod);
        ArgumentNullException.ThrowIfNull(gammas);
        if (baseMethod.IsAdaptive)
            throw new ArgumentException($"The base of a composition must be a fixed-step method, but '{baseMethod.Name}' is adaptive.", nameof(baseMethod));
        if (gammas.Count == 0 || System.Math.Abs(gammas.Sum() - 1) > 1e-12)
            throw new ArgumentException($"Composition coefficients must sum to 1 (they sum to {gammas.Sum():R}).", nameof(gammas));
        (Name, _base, _gammas, _order) = (name, baseMethod, gammas.ToArray(), order);
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override int Order => _order;

    /// <inheritdoc />
    public override int? ErrorOrder => null;

    /// <summary>True when the base method needs the coordinate–momentum split (Yoshida over leapfrog).</summary>
    public override bool NeedsPhaseSpaceSplit => _base.NeedsPhaseSpaceSplit;

    /// <summary>The method composed.</summary>
    public OneStepMethod BaseMethod => _base;

    /// <summary>The sub-step fractions γ of h.</summary>
    public IReadOnlyList<double> Gammas => _gammas;

    /// <inheritdoc />
    public override OneStepMethod ForSolve(SolverOptions options)
    {
        var perSolve = _base.ForSolve(options);
        return ReferenceEquals(perSolve, _base) ? this : new CompositionMethod(Name, perSolve, _gammas, _order);
    }

    /// <inheritdoc />
    public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.IsPerTrajectory)
            throw new InvalidOperationException($"'{Name}' is a fixed-step method; the step driver runs it with one step for the whole batch.");
        double t = step.SharedTime, h = step.SharedStep, elapsed = 0;
        Tensor y = y0;
        Tensor? fy = f0;
        for (int i = 0; i < _gammas.Length; i++)
        {
            fy ??= counters.Rates(f, TimeTensor(t + elapsed * h, y0), y);
            using var sub = StepPoint.Shared(t + elapsed * h, _gammas[i] * h, step.Dtype, step.Device);
            var attempt = _base.Attempt(f, sub, y, fy, counters);
            if (attempt.Failed) return attempt;
            (y, fy) = (attempt.Y1, attempt.F1);
            elapsed += _gammas[i];
        }
        return new StepAttempt(y) { F1 = fy };
    }

    /// <inheritdoc />
    public override void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows) => _base.Accepted(step, attempt, acceptedRows);

    static Tensor TimeTensor(double t, Tensor like) => torch.tensor(t, like.dtype, like.device);
}
