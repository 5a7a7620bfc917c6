namespace SurrogateExport;

/// <summary>Settings of the export example; <see cref="Quick"/> is the small run of the integration tests.</summary>
public sealed record SurrogateExportOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "surrogate-export");
    /// <summary>Where the weight file goes; by default examples/SurrogateLibrary/Weights/damped-oscillator.nodew of this clone.</summary>
    public string? WeightsPath { get; init; }
    /// <summary>Training epochs (one Adam step on all trajectories each).</summary>
    public int Epochs { get; init; } = 300;
    /// <summary>Adam learning rate at the start (cosine-annealed to a tenth of it).</summary>
    public double LearningRate { get; init; } = 0.02;
    /// <summary>Damping ratios of the training trajectories: evenly spaced on [<see cref="ZetaMin"/>, <see cref="ZetaMax"/>].</summary>
    public int ZetaCount { get; init; } = 8;
    /// <summary>Smallest trained damping ratio.</summary>
    public double ZetaMin { get; init; } = 0.05;
    /// <summary>Largest trained damping ratio.</summary>
    public double ZetaMax { get; init; } = 0.5;
    /// <summary>Initial states per damping ratio, drawn uniformly from x0 ∈ [−1, 1], v0 ∈ [−2, 2].</summary>
    public int StatesPerZeta { get; init; } = 2;
    /// <summary>End of the observation window [0, EndTime].</summary>
    public double EndTime { get; init; } = 5.0;
    /// <summary>Observations per trajectory (evenly spaced, including t = 0).</summary>
    public int Points { get; init; } = 41;
    /// <summary>Seed of the initial states and the weights.</summary>
    public long Seed { get; init; } = 3;
    /// <summary>Show the progress display (null: when the console is not redirected).</summary>
    public bool? ShowProgress { get; init; }
    /// <summary>Free text stored in the weight file.</summary>
    public string Notes { get; init; } = "examples/SurrogateExport: damped oscillator UDE, omega = 2, trained on closed-form trajectories.";

    /// <summary>The short training of <c>--quick</c> and the tests (a few seconds), writing its weight file to <paramref name="weightsPath"/>.</summary>
    public static SurrogateExportOptions Quick(string outputDirectory, string weightsPath) => new()
    {
        OutputDirectory = outputDirectory, WeightsPath = weightsPath, Epochs = 30, ZetaCount = 4, ShowProgress = false,
    };
}
