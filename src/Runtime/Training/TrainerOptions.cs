using NodeDsl.Runtime.Data;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>Computes the full initial state <c>[batch, stateSize]</c> of a batch's solve.</summary>
public delegate Tensor InitialStateFunction(TrajectoryBatch batch);

/// <summary>Everything a <see cref="Trainer"/> needs besides the model and the data. Only <see cref="Solver"/> is required.</summary>
public sealed record TrainerOptions
{
    /// <summary>Total number of epochs (a resumed run continues up to this number).</summary>
    public int Epochs { get; init; } = 100;
    /// <summary>Seed of the window and probe generator: equal seeds give bit-identical runs. Torch's global generator is never touched.</summary>
    public long Seed { get; init; }
    /// <summary>The ODE solver of the training solves, e.g. <c>Solvers.Rk4</c>.</summary>
    public required IOdeSolver Solver { get; init; }
    /// <summary>Solver options (a fixed-step solver needs <c>SolverOptions.StepSize</c>).</summary>
    public SolverOptions? SolverOptions { get; init; }
    /// <summary>
    /// How gradients flow through the solves: <see cref="GradientMethod.Direct"/>, <see cref="GradientMethod.Backsolve"/>
    /// or <see cref="GradientMethod.Checkpointed"/>. Null backpropagates through the solver's operations with plain autograd.
    /// </summary>
    public GradientMethod? Gradient { get; init; }
    /// <summary>How batches are drawn; whole trajectories by default.</summary>
    public IBatchSampler Sampler { get; init; } = new WholeTrajectorySampler();
    /// <summary>Data loss on the observed components; masked entries are never scored.</summary>
    public LossFunction Loss { get; init; } = Losses.MeanSquared;
    /// <summary>Optimizer and base learning rate.</summary>
    public OptimizerSettings Optimizer { get; init; } = OptimizerSettings.Adam();
    /// <summary>Learning rate per epoch; constant when null.</summary>
    public LearningRateSchedule? Schedule { get; init; }
    /// <summary>Clip the global gradient norm to this value before each step (not applied to L-BFGS); off when null.</summary>
    public double? GradientClipNorm { get; init; }
    /// <summary>
    /// Ends a run whose dynamics run away (solves needing far more steps than before) early, with a
    /// <see cref="TrainingDivergedException"/>, instead of letting each solve reach <c>SolverOptions.MaxSteps</c>; off when null.
    /// </summary>
    public RunawayDetection? Runaway { get; init; } = new();
    /// <summary>Validate every this many epochs (and after the last); early-stopping patience then counts validations.</summary>
    public int ValidateEvery { get; init; } = 1;
    /// <summary>Early stopping on the validation loss; needs a validation set.</summary>
    public EarlyStopping? EarlyStopping { get; init; }
    /// <summary>Kinetic-energy and Jacobian regularisers; off when null.</summary>
    public Regularization? Regularization { get; init; }
    /// <summary>
    /// A penalty on the parameters, added to every training batch's loss and reported with the regularisers (e.g. the
    /// anchored-ensemble term λ‖θ − θ_anchor‖² of <c>NodeDsl.Runtime.Ensembles.AnchoredRegularizer.Penalty</c>); off when null.
    /// Validation losses never include it.
    /// </summary>
    public Func<Tensor>? ParameterPenalty { get; init; }
    /// <summary>
    /// Copies of each batch row in one solve, e.g. the members of a batched ensemble: the model sees
    /// <c>[Replicas·batch, n]</c>, replica-major (row <c>r·batch + b</c> is copy r of row b); every copy starts from the
    /// row's initial state and is scored against the row's observations, so the data loss is the mean over copies.
    /// Inputs are repeated likewise. <see cref="Trainer.Predict"/> returns copy 0.
    /// </summary>
    public int Replicas { get; init; } = 1;
    /// <summary>
    /// Size of the model's state; observed components are its leading entries and the rest start at zero
    /// (augmented states). Null: the model's <see cref="ModelLayout.StateSize"/> for an <see cref="OdeModel"/>, else the number of observed components.
    /// </summary>
    public int? StateSize { get; init; }
    /// <summary>
    /// Custom initial states (e.g. learned or given for unobserved components). By default: the first observation of each
    /// window; latent velocities (<c>[Velocity(…, Latent = true)]</c>) estimated from the window's first three observations
    /// (<see cref="InitialVelocity.LatentFromObservations"/>, second order in the observation step) or from
    /// <see cref="VelocityEncoder"/> when set; any other unobserved component (augmented states) zero.
    /// </summary>
    public InitialStateFunction? InitialState { get; init; }
    /// <summary>
    /// A learned encoder of each window's first observations to the latent velocities of a second-order model (Norcliffe
    /// et al. 2020, §4), used instead of the finite-difference estimate; its parameters are trained, checkpointed and
    /// restored with the model's. Null: the estimate from the data. Needs a model with latent velocities and no
    /// <see cref="InitialState"/>.
    /// </summary>
    public VelocityEncoder? VelocityEncoder { get; init; }
    /// <summary>Hands a batch's inputs <c>[batch, nInputs]</c> to a model that is not an <see cref="OdeModel"/> (which gets them through <see cref="OdeModel.Inputs"/>).</summary>
    public Action<Tensor?>? SetInputs { get; init; }
    /// <summary>Checkpoint file; written atomically after every <see cref="CheckpointEvery"/> epochs and at the end. None when null.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Epochs between checkpoints.</summary>
    public int CheckpointEvery { get; init; } = 1;
    /// <summary>Continue from <see cref="CheckpointPath"/> when that file exists.</summary>
    public bool Resume { get; init; }
    /// <summary>CSV file of per-epoch metrics, rewritten after every epoch. None when null.</summary>
    public string? MetricsCsvPath { get; init; }
    /// <summary>
    /// A live display of the run, e.g. <c>ConsoleProgress.When(null)</c> from the NodeDsl.Plotting package (a progress bar
    /// when the console is interactive). None when null: the runtime itself prints nothing.
    /// </summary>
    public ITrainingProgress? Progress { get; init; }
    /// <summary>User code run after every epoch.</summary>
    public IReadOnlyList<EpochCallback> Callbacks { get; init; } = [];

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Solver, nameof(Solver));
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (ValidateEvery < 1) throw new ArgumentException($"ValidateEvery must be at least 1, not {ValidateEvery}.");
        if (CheckpointEvery < 1) throw new ArgumentException($"CheckpointEvery must be at least 1, not {CheckpointEvery}.");
        if (Resume && CheckpointPath is null) throw new ArgumentException("Resume needs a CheckpointPath.");
        if (GradientClipNorm is { } c && !(c > 0)) throw new ArgumentException($"GradientClipNorm must be positive, not {c}.");
        if (Replicas < 1) throw new ArgumentException($"Replicas must be at least 1, not {Replicas}.");
        Runaway?.Validate();
        // The other options fail here, at construction, rather than in the first batch (OdeArgumentException naming them).
        SolveArguments.ValidateOptions(Solver, SolverOptions ?? new SolverOptions());
        Gradient?.Validate(Solver, SolverOptions ?? new SolverOptions());
        Optimizer?.Validate();
        Regularization?.Validate();
        EarlyStopping?.Validate();
    }
}
