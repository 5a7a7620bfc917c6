using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Probability;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Flows;

/// <summary>Solver settings of a <see cref="ContinuousNormalizingFlow"/>.</summary>
public sealed record FlowSettings
{
    /// <summary>End of the flow: data at t = 0, base distribution N(0, I) at t = <see cref="EndTime"/>.</summary>
    public double EndTime { get; init; } = 1.0;
    /// <summary>Solver (Dormand–Prince by default, as FFJORD).</summary>
    public IOdeSolver Solver { get; init; } = Solvers.Dopri5;
    /// <summary>Tolerances and limits.</summary>
    public SolverOptions SolverOptions { get; init; } = new() { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-5 };
    /// <summary>How the likelihood's gradient flows through the solve (the backsolve adjoint by default, as FFJORD).</summary>
    public GradientMethod Gradient { get; init; } = GradientMethod.Backsolve();
    /// <summary>Distribution of Hutchinson's probe ε.</summary>
    public ProbeDistribution Probe { get; init; } = ProbeDistribution.Rademacher;
}

/// <summary>The log-likelihood of a batch under a flow.</summary>
/// <param name="LogDensity">log p(x) per row, <c>[batch]</c>.</param>
/// <param name="Kinetic">∫ ‖f‖² dt per row, or null when regularisers were not tracked.</param>
/// <param name="Jacobian">∫ ‖εᵀ ∂f/∂z‖² dt per row (a Hutchinson estimate of ∫ ‖∂f/∂z‖²_F dt), or null.</param>
/// <param name="ForwardEvaluations">Rate evaluations of the solve.</param>
/// <param name="Gradient">The gradient method's report (its backward counters are filled in by <c>backward()</c>), or null without a graph.</param>
/// <remarks>Dispose it after <c>backward()</c>: it owns the probe ε, which an adjoint's backward solve still reads.</remarks>
public sealed record FlowLikelihood(Tensor LogDensity, Tensor? Kinetic, Tensor? Jacobian, int ForwardEvaluations, GradientReport? Gradient) : IDisposable
{
    /// <summary>The probe of the solve, kept alive for the backward pass.</summary>
    internal Tensor? Probe { get; init; }

    /// <summary>The loss <c>−mean log p + λ_K mean E + λ_J mean J</c> with the weights of <paramref name="regularization"/> (null: none).</summary>
    public Tensor Loss(Regularization? regularization = null)
    {
        using var scope = NewDisposeScope();
        var loss = LogDensity.mean().neg();
        if (regularization is { KineticEnergy: > 0 } && Kinetic is not null) loss = ScalarOps.Add(loss, Kinetic.mean(), regularization.KineticEnergy);
        if (regularization is { JacobianFrobenius: > 0 } && Jacobian is not null) loss = ScalarOps.Add(loss, Jacobian.mean(), regularization.JacobianFrobenius);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        LogDensity.Dispose();
        Kinetic?.Dispose();
        Jacobian?.Dispose();
        Probe?.Dispose();
    }
}

/// <summary>
/// A continuous normalizing flow (Chen et al. 2018 §4; FFJORD, Grathwohl et al. 2019): a vector field f(t, z) — any
/// <see cref="OdeModel"/> without augmented states, e.g. a DSL model with a <c>[Neural]</c> term and <c>[Time]</c> —
/// carries data x at t = 0 to z(T), whose base density is N(0, I); the change of variables
/// <c>log p(x) = log N(z(T); 0, I) + ∫₀ᵀ tr(∂f/∂z) dt</c> gives the exact likelihood, trained by maximum likelihood.
/// Samples are drawn by solving backwards from z(T) ~ N(0, I).
/// </summary>
public sealed class ContinuousNormalizingFlow
{
    /// <summary>Wraps <paramref name="field"/>.</summary>
    public ContinuousNormalizingFlow(OdeModel field, FlowSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Layout.StateSize != field.Layout.ObservedSize || field.Layout.InputSize != 0)
            throw new ArgumentException("A flow's field maps z to dz/dt: it may have neither augmented states nor [Input] fields.", nameof(field));
        Field = field;
        Settings = settings ?? new FlowSettings();
        if (!(Settings.EndTime > 0) || !double.IsFinite(Settings.EndTime))
            throw new ArgumentOutOfRangeException(nameof(settings), Settings.EndTime, "FlowSettings.EndTime must be finite and greater than 0.");
    }

    /// <summary>The vector field.</summary>
    public OdeModel Field { get; }
    /// <summary>The settings.</summary>
    public FlowSettings Settings { get; }
    /// <summary>d, the data dimension.</summary>
    public int Dimension => Field.Layout.StateSize;

    /// <summary>
    /// log p(x) for each row of <paramref name="x"/> (<c>[batch, d]</c>), differentiable by <see cref="FlowSettings.Gradient"/>
    /// when grad mode is on.
    /// </summary>
    /// <param name="x">Data points.</param>
    /// <param name="divergence"><see cref="DivergenceMethod.Hutchinson"/> for training, <see cref="DivergenceMethod.Exact"/> for evaluation.</param>
    /// <param name="random">Source of the probe ε (drawn once for the solve); needed for Hutchinson and the regularisers.</param>
    /// <param name="trackRegularizers">Also integrate the kinetic-energy and Jacobian terms (Finlay et al. 2020).</param>
    public FlowLikelihood LogLikelihood(Tensor x, DivergenceMethod divergence, SeededRandom? random = null, bool trackRegularizers = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != Dimension)
            throw new ArgumentException($"x must be [batch, {Dimension}] but is [{string.Join(", ", x.shape)}].", nameof(x));
        bool needsProbe = divergence == DivergenceMethod.Hutchinson || trackRegularizers;
        if (needsProbe && random is null)
            throw new ArgumentException("Hutchinson's estimator and the regularisers draw a probe: pass a SeededRandom.", nameof(random));
        using var scope = NewDisposeScope();
        // The flow reads ε again in an adjoint's backward solve, after this scope: the likelihood owns it.
        var probe = needsProbe ? RegularizedSystem.SampleProbe(random!, x.shape[0], Dimension, Settings.Probe, x.dtype, x.device).DetachFromDisposeScope() : null;
        var flow = new ContinuousFlow(Field, Dimension, divergence, probe, trackRegularizers);
        var ts = tensor(new[] { 0.0, Settings.EndTime }, ScalarType.Float64).to(x.dtype, x.device);
        var gradient = is_grad_enabled() ? Settings.Gradient : GradientMethod.Direct;
        var solution = Ode.Solve(flow, flow.Augment(x), ts, Settings.Solver, Settings.SolverOptions, gradient);
        var end = solution.Ys[-1];
        var z = end.narrow(1, 0, Dimension);
        // log p(x) = log N(z(T)) − Δ(T), Δ(T) = −∫ tr(∂f/∂z) dt.
        var logDensity = ScalarOps.Sub(DiagonalGaussian.StandardLogDensity(z), end.select(1, flow.LogDensityColumn), 1.0);
        var kinetic = trackRegularizers ? end.select(1, flow.KineticColumn).MoveToOuterDisposeScope() : null;
        var jacobian = trackRegularizers ? end.select(1, flow.JacobianColumn).MoveToOuterDisposeScope() : null;
        return new FlowLikelihood(logDensity.MoveToOuterDisposeScope(), kinetic, jacobian, solution.Stats.FunctionEvaluations, solution.Gradient) { Probe = probe };
    }

    /// <summary>
    /// <paramref name="count"/> samples: z(T) ~ N(0, I) from <paramref name="generator"/> (torch's global one when null),
    /// solved backwards to t = 0, <c>[count, d]</c>, without a graph.
    /// </summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Draw at least one sample.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var z = randn([count, Dimension], Field.DType, Field.Device, generator: generator);
        return Transport(z, fromBase: true).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pushes points through the flow without a graph: data → base (<paramref name="fromBase"/> false, t = 0 → T) or
    /// base → data (t = T → 0), <c>[batch, d]</c>.
    /// </summary>
    public Tensor Transport(Tensor points, bool fromBase)
    {
        ArgumentNullException.ThrowIfNull(points);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ts = tensor(fromBase ? new[] { Settings.EndTime, 0.0 } : new[] { 0.0, Settings.EndTime }, ScalarType.Float64).to(points.dtype, points.device);
        return Ode.Solve(Field, points, ts, Settings.Solver, Settings.SolverOptions).Ys[-1].MoveToOuterDisposeScope();
    }
}
