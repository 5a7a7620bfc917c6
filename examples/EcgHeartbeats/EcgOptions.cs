using NodeDsl.Runtime.Classification;

namespace EcgHeartbeats;

/// <summary>Settings of the heartbeat classification comparison.</summary>
public sealed record EcgOptions
{
    /// <summary>Folder for PNGs and CSV files.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "ecg");
    /// <summary>
    /// Folder holding the public MIT-BIH heartbeat files <c>mitbih_train.csv</c> and <c>mitbih_test.csv</c>; null: synthetic
    /// beats from <see cref="Ecgsyn"/>.
    /// </summary>
    public string? MitBihDirectory { get; init; }
    /// <summary>Training beats (synthetic: generated; MIT-BIH: the first ones of the file).</summary>
    public int TrainCount { get; init; } = 4_000;
    /// <summary>Test beats.</summary>
    public int TestCount { get; init; } = 1_000;
    /// <summary>Standard deviation of the white noise added to the scaled synthetic beats.</summary>
    public double Noise { get; init; } = 0.02;
    /// <summary>Passes over the training beats.</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>Beats per optimizer step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Relative and absolute tolerance of the ODE-Net's Dormand–Prince solves.</summary>
    public double Tolerance { get; init; } = 1e-3;
    /// <summary>Seed of the beats, the weights and the batch order.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Called after every epoch of every model (progress display).</summary>
    public Action<string, ClassifierEpoch>? OnEpoch { get; init; }

    /// <summary>
    /// The <c>--quick</c> preset, a smoke test of every part (CI runs it): 50 training and 50 test beats, 2 epochs of one
    /// batch of 50, i.e. two Adam steps per network — enough to check that a step along each network's gradient lowers
    /// its loss and to count NFE, not to learn the beat classes (docs/ecg.md).
    /// </summary>
    public static EcgOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory,
        TrainCount = 50,
        TestCount = 50,
        Epochs = 2,
        BatchSize = 50,
    };
}
