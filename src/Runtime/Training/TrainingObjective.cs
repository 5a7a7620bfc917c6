using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>The loss of one batch: initial state, inputs, solve (optionally regularised) and data loss.</summary>
internal sealed class TrainingObjective
{
    readonly IOdeSystem system;
    readonly ITimeOffsetSystem shiftable;   // the system itself, or an adapter that shifts its time
    readonly TrainerOptions options;
    readonly Tensor[] parameters;

    public TrainingObjective(IOdeSystem system, IEnumerable<Tensor> parameters, int stateSize, int observedSize, TrainerOptions options)
    {
        (this.system, StateSize, ObservedSize, this.options) = (system, stateSize, observedSize, options);
        this.parameters = parameters.ToArray();
        shiftable = system as ITimeOffsetSystem ?? new TimeShiftedSystem(system);
    }

    public int StateSize { get; }
    public int ObservedSize { get; }
    /// <summary>Step limit of the next solves (the runaway budget), or null for <c>SolverOptions.MaxSteps</c>.</summary>
    public int? MaxSteps { get; set; }

    /// <summary>Total loss (data + weighted regularisers), its parts and the solve's counters.</summary>
    public sealed record Result(Tensor Total, Tensor DataLoss, Tensor? Regularizer, SolverStats Stats, GradientReport? Gradient);

    /// <summary>Evaluates the batch loss; regularisers only when <paramref name="regularize"/> and configured.</summary>
    public Result Evaluate(TrajectoryBatch batch, Tensor? probe, bool regularize)
    {
        var y0 = Replicate(InitialState(batch));
        SetInputs(batch);
        var model = Model(batch);
        var reg = regularize && options.Regularization is { IsActive: true } r ? r : null;
        IOdeSystem solved = model;
        if (reg is not null)
        {
            var wrapped = new RegularizedSystem(model, StateSize, reg.JacobianFrobenius != 0 ? probe : null);
            // Adjoint methods need to know which tensors the wrapper depends on: the model's parameters.
            solved = options.Gradient is null ? wrapped : AutogradRatesVjp.For(wrapped, parameters);
            y0 = wrapped.Augment(y0);
        }
        var solution = SolveWith(solved, y0, batch.Times);
        var prediction = solution.Ys.narrow(2, 0, ObservedSize);
        var dataLoss = options.Loss(prediction, Replicate(batch.Observations, 1), batch.Mask is { } mask ? Replicate(mask, 1) : null);
        Tensor? term = null;
        if (reg is not null)
        {
            var last = solution.Ys.select(0, -1);
            term = ScalarOps.Mul(last.select(1, StateSize).mean(), reg.KineticEnergy)
                .add(ScalarOps.Mul(last.select(1, StateSize + 1).mean(), reg.JacobianFrobenius), ScalarOps.One);
        }
        if (regularize && options.ParameterPenalty is { } penalty) term = term is null ? penalty() : term + penalty();
        if (term is null) return new Result(dataLoss, dataLoss, null, solution.Stats, solution.Gradient);
        return new Result(dataLoss + term, dataLoss, term, solution.Stats, solution.Gradient);
    }

    OdeSolution SolveWith(IOdeSystem solved, Tensor y0, Tensor times)
        => options.Gradient is { } gradient
            ? Ode.Solve(solved, y0, times, options.Solver, SolverOptions, gradient)
            : Ode.Solve(solved, y0, times, options.Solver, SolverOptions);

    SolverOptions? SolverOptions => MaxSteps is { } limit ? (options.SolverOptions ?? new SolverOptions()) with { MaxSteps = limit } : options.SolverOptions;

    /// <summary>The solution <c>[T, batch, stateSize]</c> of the plain (unregularised) model for the batch.</summary>
    /// <param name="batch">The output grid, inputs and start times.</param>
    /// <param name="initialFrom">The batch whose observations give the initial state; <paramref name="batch"/> when null.</param>
    public Tensor Solve(TrajectoryBatch batch, TrajectoryBatch? initialFrom = null)
    {
        var y0 = Replicate(InitialState(initialFrom ?? batch));
        SetInputs(batch);
        return Ode.Solve(Model(batch), y0, batch.Times, options.Solver, SolverOptions).Ys;   // no gradients needed
    }

    /// <summary>
    /// The system to solve for <paramref name="batch"/>: on a grid relative to each row's start, one that evaluates row b
    /// at its absolute time (offset = the row's start time), so time-dependent models see the forcing they were
    /// observed under; on an absolute grid the system itself.
    /// </summary>
    IOdeSystem Model(TrajectoryBatch batch)
    {
        if (!batch.RelativeTimes) return system;
        // In the caller's dispose scope, like the batch: ReleaseInputs clears the reference before the scope ends.
        var starts = torch.tensor(batch.StartTimes.ToArray(), [batch.Size, 1], ScalarType.Float64).to(batch.Times.dtype, batch.Times.device);
        shiftable.TimeOffsets = Replicate(starts);
        return shiftable;
    }

    /// <summary>Stacks <see cref="TrainerOptions.Replicas"/> copies of <paramref name="x"/> along the row dimension <paramref name="dim"/>.</summary>
    Tensor Replicate(Tensor x, int dim = 0)
    {
        if (options.Replicas == 1) return x;
        var repeats = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        repeats[dim] = options.Replicas;
        return x.repeat(repeats);
    }

    Tensor InitialState(TrajectoryBatch batch)
    {
        if (options.InitialState is { } custom)
        {
            var y = custom(batch);
            if (y.dim() != 2 || y.shape[0] != batch.Size || y.shape[1] != StateSize)
                throw new ArgumentException($"TrainerOptions.InitialState returned [{string.Join(", ", y.shape)}] but the solve needs [{batch.Size}, {StateSize}].");
            return y;
        }
        var observed = batch.InitialObservations;
        if (observed.isnan().any().item<bool>())
        {
            var w = batch.Windows[FirstRowWithNaN(observed)];
            throw new InvalidOperationException(
                $"The first observation of a window (trajectory {w.Trajectory}, point {w.Start}) has a missing value, so it cannot be an initial state. " +
                "Supply TrainerOptions.InitialState, or use windows that start at fully observed points.");
        }
        if (StateSize == ObservedSize) return observed;
        if (system is IDescribedSystem { Layout: var layout } && StateSize == layout.StateSize && layout.States.Any(s => s.Kind == StateKind.LatentVelocity))
            return InitialVelocity.State(layout, observed, LatentVelocities(batch, layout));
        using var zeros = torch.zeros(batch.Size, StateSize - ObservedSize, observed.dtype, observed.device);
        return torch.cat([observed, zeros], 1);
    }

    // Latent velocities from the window's first observations: the encoder's, else the three-point finite difference.
    Tensor LatentVelocities(TrajectoryBatch batch, ModelLayout layout)
    {
        var encoder = options.VelocityEncoder;
        int needed = encoder?.Observations ?? 3;
        string source = encoder is null
            ? "estimating the latent velocities (a three-point finite difference)"
            : $"the velocity encoder (it reads {needed} observations)";
        string remedy = "Use windows of at least that many points whose first points are fully observed, or supply TrainerOptions.InitialState.";
        if (batch.Times.shape[0] < needed)
            throw new InvalidOperationException($"The batch's windows have {batch.Times.shape[0]} points, but {source} needs the first {needed}. {remedy}");
        if (batch.Mask is { } mask && !mask.narrow(0, 0, needed).all().item<bool>())
        {
            var w = batch.Windows[FirstRowNotObserved(mask.narrow(0, 0, needed))];
            throw new InvalidOperationException(
                $"A window (trajectory {w.Trajectory}, point {w.Start}) is not fully observed at the batch's first {needed} times, which {source} reads. {remedy}");
        }
        var first = batch.Observations.narrow(0, 0, needed).transpose(0, 1);   // [batch, needed, nObs]
        if (encoder is not null) return encoder.forward(first);
        using var head = batch.Times.narrow(0, 0, needed).to(ScalarType.Float64, torch.CPU);
        return InitialVelocity.LatentFromObservations(layout, first, head.data<double>().ToArray());
    }

    static int FirstRowNotObserved(Tensor mask)
    {
        using var rows = mask.all(2).all(0).logical_not().to(ScalarType.Int32).cpu();
        return Array.IndexOf(rows.data<int>().ToArray(), 1);
    }

    static int FirstRowWithNaN(Tensor observed)
    {
        using var rows = observed.isnan().any(1).to(ScalarType.Int32).cpu();
        return Array.IndexOf(rows.data<int>().ToArray(), 1);
    }

    /// <summary>
    /// Forgets the batch's inputs and time offsets once its solve and backward pass are done, so the model never holds a
    /// disposed tensor.
    /// </summary>
    public void ReleaseInputs()
    {
        shiftable.TimeOffsets = null;
        if (system is IDescribedSystem described) described.Inputs = null;
        else options.SetInputs?.Invoke(null);
    }

    void SetInputs(TrajectoryBatch batch)
    {
        if (system is IDescribedSystem model)
        {
            if (model.Layout.InputSize > 0 || batch.Inputs is not null) model.Inputs = batch.Inputs is { } rows ? Replicate(rows) : null;
            return;
        }
        if (options.SetInputs is { } set) { set(batch.Inputs is { } inputs ? Replicate(inputs) : null); return; }
        if (batch.Inputs is not null)
            throw new InvalidOperationException(
                "The dataset has per-trajectory inputs but the model is not an OdeModel (IDescribedSystem): set TrainerOptions.SetInputs to hand them to the model.");
    }
}
