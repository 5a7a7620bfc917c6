namespace SystemIdentification;

/// <summary>Settings of the system-identification example; <see cref="Quick"/> is the short run of <c>--quick</c>.</summary>
public sealed record SystemIdentificationOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "system-identification");
    /// <summary>Training epochs per model (one Adam step each).</summary>
    public int Epochs { get; init; } = 1000;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Observation noise (standard deviation).</summary>
    public double Noise { get; init; } = 0.01;
    /// <summary>Seed of data noise, weights and windows.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Show the progress display (null: when the console is not redirected).</summary>
    public bool? ShowProgress { get; init; }

    /// <summary>The short training of <c>--quick</c> and the integration tests (a few seconds): fewer epochs.</summary>
    public static SystemIdentificationOptions Quick(string outputDirectory) => new() { OutputDirectory = outputDirectory, Epochs = 150 };
}
