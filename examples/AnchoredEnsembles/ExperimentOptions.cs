namespace AnchoredEnsembles;

/// <summary>Settings of one run; the defaults are the example's full run (a few minutes on 2 cores).</summary>
public sealed record ExperimentOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "anchored-ensembles");
    /// <summary>End of the training window [0, TrainingEnd].</summary>
    public double TrainingEnd { get; init; } = 10.0;
    /// <summary>End of the extrapolation range (TrainingEnd, ExtrapolationEnd].</summary>
    public double ExtrapolationEnd { get; init; } = 15.0;
    /// <summary>Spacing of the training observations and of the extrapolation observations.</summary>
    public double ObservationStep { get; init; } = 0.2;
    /// <summary>Held-out observations at uniformly random times inside the training window.</summary>
    public int InterpolationPoints { get; init; } = 50;
    /// <summary>σ_ε, the standard deviation of the observation noise (known to the method, as in the paper).</summary>
    public double NoiseSd { get; init; } = 0.05;
    /// <summary>Ensemble sizes reported; the largest is trained and the others are its first members.</summary>
    public IReadOnlyList<int> EnsembleSizes { get; init; } = [1, 3, 5, 10];
    /// <summary>Prior variances σ²_prior (weights get σ²/fan_in, biases σ²); one ensemble is trained per value.</summary>
    public IReadOnlyList<double> PriorVariances { get; init; } = [0.3, 1.0, 3.0];
    /// <summary>The prior variance whose bands are plotted.</summary>
    public double PlottedPriorVariance { get; init; } = 1.0;
    /// <summary>Hidden widths of each member's network (2 → 50 → 2, tanh, as the lecture's ODE block).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [50];
    /// <summary>Training epochs (one batch of random windows each).</summary>
    public int Epochs { get; init; } = 1200;
    /// <summary>Windows per batch (each solved for every member).</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Shortest window, in points.</summary>
    public int MinWindowPoints { get; init; } = 8;
    /// <summary>Longest window, in points.</summary>
    public int MaxWindowPoints { get; init; } = 26;
    /// <summary>Adam's initial learning rate (cosine-annealed to a tenth).</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>RK4 step (half the observation spacing, so every output time is a step end).</summary>
    public double StepSize { get; init; } = 0.1;
    /// <summary>Seed of the data, the windows, the initial weights and the anchors.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Show the trainer's progress bar (null: when the console is not redirected).</summary>
    public bool? ShowProgress { get; init; } = false;

    /// <summary>The short training of <c>--quick</c>: 150 epochs of 8 windows instead of 1200 of 16; every ensemble size and prior still runs.</summary>
    public static ExperimentOptions Quick(string outputDirectory) => new() { OutputDirectory = outputDirectory, Epochs = 150, BatchSize = 8 };
}
