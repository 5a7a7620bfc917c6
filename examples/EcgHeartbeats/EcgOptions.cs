using NodeDsl.Examples;
using NodeDsl.Runtime.Classification;

namespace EcgHeartbeats;

/// <summary>Settings of the heartbeat classification comparison (the shared ones in <see cref="ClassifierExampleOptions"/>).</summary>
public sealed record EcgOptions : ClassifierExampleOptions
{
    /// <summary>The defaults: 4 000 training and 1 000 test synthetic beats, 5 epochs of batches of 128, Adam at 1e-3.</summary>
    public EcgOptions() : base(Path.Combine("out", "ecg"), trainCount: 4_000, testCount: 1_000, epochs: 5) { }

    /// <summary>
    /// Folder holding the public MIT-BIH heartbeat files <c>mitbih_train.csv</c> and <c>mitbih_test.csv</c>; null: synthetic
    /// beats from <see cref="Ecgsyn"/>.
    /// </summary>
    public string? MitBihDirectory { get; init; }
    /// <summary>Standard deviation of the white noise added to the scaled synthetic beats.</summary>
    public double Noise { get; init; } = 0.02;
    /// <summary>Called after every epoch of every model (progress display).</summary>
    public Action<string, ClassifierEpoch>? OnEpoch { get; init; }

    /// <summary>The <c>--quick</c> preset (<see cref="ClassifierExampleOptions.SmokeTest"/>): 50 + 50 beats, two Adam steps per network.</summary>
    public static EcgOptions Quick(string outputDirectory) => SmokeTest(new EcgOptions(), outputDirectory);
}
