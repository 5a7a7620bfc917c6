namespace LotkaVolterraUde;

/// <summary>Settings of one run of the Lotka–Volterra UDE experiment; the defaults are the example's full run, <see cref="Quick"/> the short one.</summary>
public sealed record UdeExperimentOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "lotka-volterra-ude");
    /// <summary>End of the observed range (observations every <see cref="ObservationStep"/> from 0).</summary>
    public double TrainingEnd { get; init; } = 3.0;
    /// <summary>Spacing of the observations.</summary>
    public double ObservationStep { get; init; } = 0.1;
    /// <summary>End of the extrapolation check.</summary>
    public double ExtrapolationEnd { get; init; } = 10.0;
    /// <summary>Noise standard deviation as a fraction of each state's mean.</summary>
    public double NoiseFraction { get; init; } = 0.05;
    /// <summary>Adam steps (one whole-trajectory batch per epoch).</summary>
    public int AdamEpochs { get; init; } = 700;
    /// <summary>Adam's learning rate.</summary>
    public double AdamLearningRate { get; init; } = 0.01;
    /// <summary>L-BFGS steps after Adam (each up to <see cref="LbfgsIterations"/> inner iterations).</summary>
    public int LbfgsEpochs { get; init; } = 10;
    /// <summary>Inner iterations per L-BFGS step.</summary>
    public int LbfgsIterations { get; init; } = 20;
    /// <summary>Seed of the noise and of both models' initial weights.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Show the trainer's progress bar (null: when the console is not redirected).</summary>
    public bool? ShowProgress { get; init; } = false;

    /// <summary>The short training of <c>--quick</c> and the integration tests: 150 Adam steps, then 2 L-BFGS steps.</summary>
    public static UdeExperimentOptions Quick(string outputDirectory) => new() { OutputDirectory = outputDirectory, AdamEpochs = 150, LbfgsEpochs = 2 };
}
