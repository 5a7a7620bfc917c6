namespace AugmentedNode;

/// <summary>Settings of the ANODE experiment; the defaults follow Dupont et al. (2019), <see cref="Quick"/> is the test run.</summary>
public sealed record AugmentedNodeOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "augmented-node");
    /// <summary>Points in the disc ‖x‖ ≤ 0.5 (label −1).</summary>
    public int InnerPoints { get; init; } = 1000;
    /// <summary>Points in the annulus 1 ≤ ‖x‖ ≤ 1.5 (label +1).</summary>
    public int OuterPoints { get; init; } = 2000;
    /// <summary>Passes over the training set per model.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>Points per Adam step.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Relative and absolute tolerance of the Dormand–Prince solves.</summary>
    public double Tolerance { get; init; } = 1e-3;
    /// <summary>Augmented dimensions p of the models to train: 0 (plain NODE), 1 and 5 are available.</summary>
    public IReadOnlyList<int> AugmentedSizes { get; init; } = [0, 1, 5];
    /// <summary>Seed of the data, the shuffling and the initial weights (the same for every model).</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Points of each class whose trajectories are drawn.</summary>
    public int FlowPointsPerClass { get; init; } = 40;
    /// <summary>Called after each epoch (and once before training, epoch 0) with the model's name and the epoch's record.</summary>
    public Action<string, EpochRecord>? OnEpoch { get; init; }

    /// <summary>A run of seconds: 600 points (10 batches per epoch), 12 epochs.</summary>
    public static AugmentedNodeOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, InnerPoints = 200, OuterPoints = 400, Epochs = 12, FlowPointsPerClass = 20,
    };
}
