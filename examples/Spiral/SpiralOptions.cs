namespace Spiral;

/// <summary>Settings of the spiral example; <see cref="Quick"/> is the short run of <c>--quick</c> and of the integration tests.</summary>
public sealed record SpiralOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "spiral");
    /// <summary>Training epochs (one Adam step each).</summary>
    public int Epochs { get; init; } = 4000;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.003;
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 20;
    /// <summary>Points per window.</summary>
    public int WindowPoints { get; init; } = 10;
    /// <summary>Observation noise (standard deviation).</summary>
    public double Noise { get; init; }
    /// <summary>Seed of data noise, weights and windows.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Also run the solver comparison table.</summary>
    public bool SolverTable { get; init; } = true;
    /// <summary>Show the progress display (null: when the console is not redirected).</summary>
    public bool? ShowProgress { get; init; }

    /// <summary>The short training of <c>--quick</c> (a few seconds): fewer epochs, everything else as the full run.</summary>
    public static SpiralOptions Quick(string outputDirectory) => new() { OutputDirectory = outputDirectory, Epochs = 150 };
}
