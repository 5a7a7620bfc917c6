namespace SecondOrder;

/// <summary>Settings of the second-order example; <see cref="Quick"/> is the short run of <c>--quick</c>.</summary>
public sealed record SecondOrderOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "second-order");
    /// <summary>Training trajectories (random x(0), x'(0)).</summary>
    public int TrainTrajectories { get; init; } = 16;
    /// <summary>Test trajectories, from other initial states.</summary>
    public int TestTrajectories { get; init; } = 8;
    /// <summary>End of the observed (training) window [0, TrainEnd].</summary>
    public double TrainEnd { get; init; } = 10.0;
    /// <summary>End of the extrapolation window (TrainEnd, ExtrapolationEnd].</summary>
    public double ExtrapolationEnd { get; init; } = 20.0;
    /// <summary>Observation spacing.</summary>
    public double ObservationStep { get; init; } = 0.2;
    /// <summary>Gaussian noise (standard deviation) on the observed positions.</summary>
    public double Noise { get; init; } = 0.01;
    /// <summary>Full-batch Adam steps per model.</summary>
    public int Steps { get; init; } = 300;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.02;
    /// <summary>RK4 step while training (a fixed discretisation: the gradient is exact for it).</summary>
    public double TrainingStep { get; init; } = 0.25;
    /// <summary>Relative tolerance of the dopri5 solves that count function evaluations.</summary>
    public double Tolerance { get; init; } = 1e-6;
    /// <summary>Seed of data, noise and weights.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>The short run of <c>--quick</c>: 8 + 4 trajectories, 40 steps, the same windows.</summary>
    public static SecondOrderOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, TrainTrajectories = 8, TestTrajectories = 4, Steps = 40,
    };
}
