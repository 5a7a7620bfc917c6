namespace SolverComparison;

/// <summary>How gradients reach the weights in one configuration (see docs/gradients.md).</summary>
public enum GradientKind
{
    /// <summary>Backpropagation through the solver's operations (discretise-then-optimise).</summary>
    Direct,
    /// <summary>Chen et al.'s backsolve adjoint (optimise-then-discretise), the "+Adjoint" rows of the classic study.</summary>
    Adjoint,
    /// <summary>Checkpointed adjoint: exact for the discretisation, bounded memory (an extra row group, off by default).</summary>
    Checkpointed,
}

/// <summary>How the observation times of the training data are spaced.</summary>
public enum Spacing
{
    /// <summary>The spiral workload's 1000 evenly spaced times on [0, 25].</summary>
    Even,
    /// <summary>t = 0 plus sorted uniform random times on (0, 25], as many as the even grid.</summary>
    Irregular,
}

/// <summary>
/// Settings of the comparison. Every configuration (solver × gradient method × spacing) trains a fresh
/// <see cref="SpiralNode"/> from the same seed with the same data, windows and optimizer; only the solver, the gradient
/// method and the observation times differ. <see cref="Quick"/> is the seconds-long run of <c>--quick</c>.
/// </summary>
public sealed record ComparisonOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "solver-comparison");
    /// <summary>Solvers by registry name (<c>Solvers.ByName</c>), in table order.</summary>
    public IReadOnlyList<string> Solvers { get; init; } = ["euler", "rk4", "bosh3", "dopri5"];
    /// <summary>Gradient methods, in table order.</summary>
    public IReadOnlyList<GradientKind> Gradients { get; init; } = [GradientKind.Direct, GradientKind.Adjoint];
    /// <summary>Data spacings, in table order.</summary>
    public IReadOnlyList<Spacing> Spacings { get; init; } = [Spacing.Even, Spacing.Irregular];
    /// <summary>Training epochs per configuration (one Adam step each).</summary>
    public int Epochs { get; init; } = 60;
    /// <summary>Adam learning rate (cosine-annealed to 2 % of it).</summary>
    public double LearningRate { get; init; } = 0.02;
    /// <summary>Windows per batch (Chen et al.'s demo: 20).</summary>
    public int BatchSize { get; init; } = 20;
    /// <summary>Points per window (Chen et al.'s demo: 10).</summary>
    public int WindowPoints { get; init; } = 10;
    /// <summary>Number of observations of the trajectory (even and irregular alike).</summary>
    public int Points { get; init; } = 1000;
    /// <summary>Standard deviation of the Gaussian noise added to the observations.</summary>
    public double Noise { get; init; } = 0.01;
    /// <summary>Relative tolerance of the adaptive solvers (forward and adjoint solves).</summary>
    public double RelativeTolerance { get; init; } = 1e-5;
    /// <summary>Absolute tolerance of the adaptive solvers.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-7;
    /// <summary>
    /// Step of the fixed-step solvers; null takes the data spacing (even) or the mean spacing (irregular), both
    /// 25 / (Points − 1). Irregular observations fall between steps and are read from the dense output.
    /// </summary>
    public double? FixedStep { get; init; }
    /// <summary>Seed of the data noise, the irregular times, the initial weights and the windows.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Show the trainer's progress bar (null: when the console is not redirected).</summary>
    public bool? ShowProgress { get; init; } = false;
    /// <summary>Write PNG charts (off in tests).</summary>
    public bool WriteCharts { get; init; } = true;

    /// <summary>
    /// The smoke run of <c>--quick</c>: every configuration of the default table, 5 epochs of 8 windows each (fewer
    /// windows shrink the irregular batches' merged time grid, which sets the adjoint's cost).
    /// </summary>
    public static ComparisonOptions Quick(string outputDirectory) => new() { OutputDirectory = outputDirectory, Epochs = 5, BatchSize = 8 };

    /// <summary>The step the fixed-step solvers take: <see cref="FixedStep"/>, or the (mean) data spacing.</summary>
    public double EffectiveFixedStep => FixedStep ?? SpiralData.EndTime / (Points - 1);
}
