namespace DoublePendulum;

/// <summary>Settings of the double-pendulum example; <see cref="Quick"/> is the short run of <c>--quick</c>.</summary>
public sealed record PendulumOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "double-pendulum");
    /// <summary>Training states (q, q̇) drawn uniformly; the targets are their true accelerations.</summary>
    public int TrainPoints { get; init; } = 512;
    /// <summary>Test states.</summary>
    public int TestPoints { get; init; } = 256;
    /// <summary>Full-batch Adam steps per model.</summary>
    public int Steps { get; init; } = 600;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>Initial states of the long rollouts (released from rest).</summary>
    public int RolloutStates { get; init; } = 4;
    /// <summary>End of the rollouts.</summary>
    public double RolloutEnd { get; init; } = 10.0;
    /// <summary>RK4 step of the rollouts (the same fixed discretisation for the truth and both models).</summary>
    public double RolloutStep { get; init; } = 0.01;
    /// <summary>Seed of data and weights.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>The short run of <c>--quick</c>: 120 steps, 2 rollouts to t = 3.</summary>
    public static PendulumOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, Steps = 120, RolloutStates = 2, RolloutEnd = 3.0,
    };
}
