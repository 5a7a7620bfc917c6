namespace ParametrizedSurrogate;

/// <summary>Settings of one run of the parametrised-surrogate experiment; the defaults are the example's full run.</summary>
public sealed record SurrogateOptions
{
    /// <summary>Viscosities μ of the training trajectories (the training range is their min..max).</summary>
    public double[] TrainingViscosities { get; init; } = [0.08, 0.104, 0.128, 0.152, 0.176, 0.20];
    /// <summary>Unseen viscosities inside the training range: interpolation in μ.</summary>
    public double[] InterpolationViscosities { get; init; } = [0.092, 0.14, 0.188];
    /// <summary>Viscosities outside the training range: extrapolation in μ.</summary>
    public double[] OutOfRangeViscosities { get; init; } = [0.05, 0.30];
    /// <summary>End of the training window [0, T_train]; every trajectory is observed only there during training.</summary>
    public double TrainingEnd { get; init; } = 1.0;
    /// <summary>End of the evaluation: (T_train, EndTime] is time extrapolation.</summary>
    public double EndTime { get; init; } = 2.0;
    /// <summary>Spacing of the observations.</summary>
    public double ObservationStep { get; init; } = 0.05;
    /// <summary>RK4 step of the training solves.</summary>
    public double TrainingStep { get; init; } = 0.025;
    /// <summary>Adam steps, one batch of all training trajectories each.</summary>
    public int Epochs { get; init; } = 1000;
    /// <summary>Initial learning rate (cosine-annealed to a hundredth of it).</summary>
    public double LearningRate { get; init; } = 1e-2;
    /// <summary>Seed of the network initialisation and of the trainer.</summary>
    public long Seed { get; init; } = 3;
    /// <summary>Output folder of PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "parametrized-surrogate");
    /// <summary>Show the trainer's progress display (null: when the console is not redirected).</summary>
    public bool? ShowProgress { get; init; } = false;

    /// <summary>The short training of <c>--quick</c>: fewer epochs, same data and evaluation.</summary>
    public static SurrogateOptions Quick(string outputDirectory) => new() { Epochs = 40, OutputDirectory = outputDirectory };
}
