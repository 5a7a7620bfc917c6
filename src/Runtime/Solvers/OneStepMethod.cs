using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// One step of an integration method, as seen by the shared step driver (<c>StepDriver</c>).
/// The driver owns the time loop, step-size control, error norms, output times and statistics; a method only
/// advances <c>y0</c> at <c>t0</c> by one step <c>h</c> and optionally estimates the local error.
/// </summary>
/// <remarks>
/// <para>Contract for implementers (explicit RK, implicit ESDIRK, multistep):</para>
/// <list type="bullet">
/// <item>Work out-of-place on tensors that may be part of the autograd graph (<c>y0</c>, <c>f0</c>, stages), so
/// that direct backpropagation through the solve works; never detach the state.</item>
/// <item>Create constants on <c>y0</c>'s device and dtype. Use <see cref="StepPoint"/> for every time and every
/// scaling by <c>h</c>, so the same code serves one shared step and per-trajectory steps.</item>
/// <item><see cref="Attempt"/> runs inside a dispose scope of the driver; the driver keeps what it needs from the
/// returned <see cref="StepAttempt"/> and disposes the rest after the step.</item>
/// <item>Instances returned by the registry are shared: keep per-solve state out of them (see <see cref="ForSolve(SolverOptions)"/>).</item>
/// </list>
/// </remarks>
public abstract class OneStepMethod
{
    /// <summary>Registry name, e.g. "dopri5".</summary>
    public abstract string Name { get; }

    /// <summary>Order of the propagated solution <c>y1</c> (global error O(h^Order)).</summary>
    public abstract int Order { get; }

    /// <summary>
    /// Order of the embedded solution whose difference to <c>y1</c> is the error estimate (e.g. 4 for Dopri5);
    /// the controller uses <c>ErrorOrder + 1</c> as the exponent denominator. <c>null</c> for fixed-step methods,
    /// which must then return <see cref="StepAttempt.ErrorEstimate"/> = null.
    /// </summary>
    public abstract int? ErrorOrder { get; }

    /// <summary>True when the method estimates its error and the driver should control the step size.</summary>
    public bool IsAdaptive => ErrorOrder is not null;

    /// <summary>The coefficients as plain data for the native integrator, or null (the default) when it cannot run this method.</summary>
    internal virtual NodeDsl.Numerics.RungeKuttaTableau? PlainTableau => null;

    /// <summary>
    /// True when the method's default controller (the options' shorthand) starts with the elementary controller's start-up
    /// phase (<see cref="PIController.DefaultStartupErrorNorm"/>): explicit Runge–Kutta methods, whose short solves (training
    /// windows) it halves in evaluations. False (the default) keeps PI.3.4 from the first step, as the implicit methods
    /// need (docs/solvers.md, "Step-size control").
    /// </summary>
    internal virtual bool StartsWithElementaryControl => false;

    /// <summary>
    /// The coefficients when the method is an explicit Runge–Kutta method whose attempts <see cref="RecordingStages"/> can
    /// record for the discrete adjoint of its steps (<c>StageAdjoint</c>); null (the default) otherwise.
    /// </summary>
    internal virtual ButcherTableau? StageTableau => null;

    /// <summary>
    /// An instance for one solve that reports the stage states of every attempt to <paramref name="tape"/>, or null (the
    /// default) when the method cannot (<see cref="StageTableau"/> is null).
    /// </summary>
    internal virtual OneStepMethod? RecordingStages(StageTape tape) => null;

    /// <summary>
    /// Attempts one step from <c>(t0, y0)</c> to <c>t0 + h</c> (both given by <paramref name="step"/>).
    /// </summary>
    /// <param name="f">The vector field. Evaluate it through <paramref name="counters"/> (<see cref="SolveCounters.Rates"/>) so evaluations are counted.</param>
    /// <param name="step">Start time and step, shared by the batch or one per row; supplies stage times and <c>h</c>-scaling.</param>
    /// <param name="y0">State at the start of the step, <c>[batch, n]</c>.</param>
    /// <param name="f0">Rates <c>f(t0, y0)</c>, supplied by the driver (first-same-as-last from the previous step, or evaluated once).</param>
    /// <param name="counters">Evaluation counters of this solve.</param>
    /// <returns>
    /// The proposed <c>y1</c>; the driver decides acceptance. Rows whose <c>h</c> is zero (finished trajectories)
    /// must come back unchanged up to round-off.
    /// </returns>
    public abstract StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters);

    /// <summary>
    /// Advances one step whose size is already known to be accepted: the checkpointed adjoint replays the accepted steps
    /// of a forward solve with a graph, and needs <see cref="StepAttempt.Y1"/>, <see cref="StepAttempt.F1"/> and
    /// <see cref="StepAttempt.Dense"/> but no error estimate. Must compute <c>y1</c> exactly as <see cref="Attempt"/> does
    /// (the replay's gradient is the gradient of the forward solve). The default calls <see cref="Attempt"/>; explicit
    /// Runge–Kutta methods skip the error combination.
    /// </summary>
    public virtual StepAttempt Replay(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
        => Attempt(f, step, y0, f0, counters);

    /// <summary>
    /// True when a step depends only on <c>(t0, h, y0, f0)</c>, not on earlier steps (the method is self-starting), so a
    /// solve can be replayed from any accepted step. Multistep methods, which carry a history of past rates, return false.
    /// </summary>
    public virtual bool IsSelfStarting => true;

    /// <summary>
    /// True when <see cref="Replay"/> from a checkpoint reproduces the forward solve's states to round-off. Implicit methods
    /// that keep Newton state across steps (a Jacobian, LU factors, start values extrapolated from the last step) return
    /// false: their replay starts that state afresh and agrees with the forward solve to the Newton tolerance, a small
    /// fraction of <c>atol + rtol·|y|</c>, which is how closely the checkpointed adjoint then checks it.
    /// </summary>
    public virtual bool ReplaysToRoundoff => true;

    /// <summary>True when the method needs the state split into coordinates and momenta (see <see cref="IOdeSolver.NeedsPhaseSpaceSplit"/>).</summary>
    public virtual bool NeedsPhaseSpaceSplit => false;

    /// <summary>
    /// Returns the instance that serves one solve. Stateless methods return <c>this</c> (the default); methods with
    /// history (multistep) return a fresh instance. Called once per solve (through <see cref="ForSolve(SolverOptions)"/>), before the first <see cref="Attempt"/>.
    /// </summary>
    public virtual OneStepMethod ForSolve() => this;

    /// <summary>
    /// Reduces an attempt's error estimate to the weighted RMS norm the controller compares with 1
    /// (≤ 1 accepts): a 0-d tensor over the whole batch, or <c>[batch]</c> when <paramref name="perTrajectory"/>.
    /// The default is <c>RMS(ErrorEstimate / scale)</c>; DOP853 overrides it to combine its two estimates.
    /// Called under no-grad.
    /// </summary>
    /// <param name="attempt">The attempt; <see cref="StepAttempt.ErrorEstimate"/> is not null.</param>
    /// <param name="scale"><c>atol + rtol·max(|y0|, |y1|)</c>, <c>[batch, n]</c>.</param>
    /// <param name="perTrajectory">One norm per row instead of one for the batch.</param>
    public virtual Tensor ErrorNorm(StepAttempt attempt, Tensor scale, bool perTrajectory)
    {
        var ratio = attempt.ErrorEstimate!.div(scale);
        return (perTrajectory ? ScalarOps.Square(ratio).mean([1L]) : ScalarOps.Square(ratio).mean()).sqrt();
    }

    /// <summary>
    /// As <see cref="ForSolve()"/>, for methods whose per-solve state depends on the options (implicit methods scale
    /// their Newton convergence test by rtol/atol). The driver calls this overload; by default it forwards to
    /// <see cref="ForSolve()"/>.
    /// </summary>
    public virtual OneStepMethod ForSolve(SolverOptions options) => ForSolve();

    /// <summary>
    /// Called by the driver after it accepted <paramref name="attempt"/> (in per-trajectory mode: after an attempt
    /// in which at least one row was accepted; <paramref name="acceptedRows"/> then says which), before the next
    /// <see cref="Attempt"/>. Runs in the solve's dispose scope, outside the step's: tensors a method creates here
    /// (e.g. <c>f1.alias()</c> for a history) live until the solve ends unless the method disposes them earlier.
    /// Here <paramref name="attempt"/> holds only the accepted state and rates (the driver's own handles); its other
    /// tensors are already disposed. The driver disposes those two handles when the next step is accepted, so a
    /// method that keeps a history takes its own handles (<c>alias()</c>).
    /// </summary>
    /// <param name="step">The step that was accepted.</param>
    /// <param name="attempt">The accepted attempt; <see cref="StepAttempt.F1"/> is always set here (the driver evaluates it when the method did not).</param>
    /// <param name="acceptedRows">Per-trajectory mode only: <c>[batch, 1]</c> boolean mask of accepted rows; null in batch mode.</param>
    public virtual void Accepted(StepPoint step, StepAttempt attempt, Tensor? acceptedRows) { }
}

/// <summary>The outcome of one <see cref="OneStepMethod.Attempt"/>.</summary>
public sealed class StepAttempt
{
    /// <summary>Creates an attempt result with the proposed new state.</summary>
    public StepAttempt(Tensor y1) => Y1 = y1;

    /// <summary>An attempt the driver must reject whatever the error (<see cref="Failed"/>), keeping <paramref name="y0"/>.</summary>
    public static StepAttempt Rejected(Tensor y0) => new(y0.alias()) { Failed = true };

    /// <summary>Proposed state at <c>t0 + h</c>, <c>[batch, n]</c>, part of the autograd graph.</summary>
    public Tensor Y1 { get; }

    /// <summary>
    /// Local error estimate <c>y1 − ŷ1</c> (already multiplied by <c>h</c>), <c>[batch, n]</c>; null for fixed-step methods.
    /// The driver reduces it with the weighted RMS norm under no-grad. A method that must reject a step for another
    /// reason (e.g. Newton iteration diverged) sets <see cref="Failed"/> instead of faking a large error.
    /// </summary>
    public Tensor? ErrorEstimate { get; init; }

    /// <summary>
    /// A second local error estimate for methods whose <see cref="OneStepMethod.ErrorNorm"/> combines two
    /// (DOP853's 3rd-order one); ignored by the default norm.
    /// </summary>
    public Tensor? SecondErrorEstimate { get; init; }

    /// <summary><c>f(t0 + h, y1)</c> when the method already has it (first same as last); otherwise the driver evaluates it after acceptance.</summary>
    public Tensor? F1 { get; init; }

    /// <summary>
    /// The method's own continuous extension on this step, or null: the driver then uses the cubic Hermite interpolant
    /// through <c>y0, f0, y1, f1</c> (third order, no extra evaluation because <c>f1</c> is needed for the next step anyway).
    /// </summary>
    public IDenseOutput? Dense { get; init; }

    /// <summary>
    /// True when the step must be rejected whatever the error (e.g. a nonlinear solve did not converge); the driver then
    /// shrinks the step by <see cref="SolverOptions.MinFactor"/> and retries. Applies to the whole batch.
    /// </summary>
    public bool Failed { get; init; }
}

/// <summary>A continuous extension <c>y(t0 + θ·h)</c>, <c>θ ∈ [0, 1]</c>, of one accepted step.</summary>
/// <remarks>Values must be out-of-place tensors of shape <c>[batch, n]</c> that stay in the autograd graph.</remarks>
public interface IDenseOutput
{
    /// <summary>The interpolated state at fraction <paramref name="theta"/> of the step, shared by all rows.</summary>
    Tensor At(double theta);

    /// <summary>The interpolated state at per-row fractions <paramref name="theta"/> (<c>[batch, 1]</c>, y's dtype and device).</summary>
    Tensor At(Tensor theta);
}

/// <summary>
/// Evaluation counters of one solve. Methods evaluate the vector field through <see cref="Rates"/> and bump the
/// implicit-method counters themselves; the driver turns them into <see cref="SolverStats"/>.
/// </summary>
public sealed class SolveCounters
{
    /// <summary>Evaluations of the vector field (each on the whole batch).</summary>
    public int FunctionEvaluations { get; set; }
    /// <summary>Jacobian evaluations (implicit methods).</summary>
    public int JacobianEvaluations { get; set; }
    /// <summary>Matrix factorisations (implicit methods).</summary>
    public int Factorizations { get; set; }
    /// <summary>The switch of a stiffness-detecting method, once it happened.</summary>
    public MethodSwitch? Switch { get; set; }

    /// <summary>Evaluates <c>f(t, y)</c> and counts it.</summary>
    public Tensor Rates(IOdeSystem f, Tensor t, Tensor y)
    {
        FunctionEvaluations++;
        return f.Rates(t, y);
    }
}
