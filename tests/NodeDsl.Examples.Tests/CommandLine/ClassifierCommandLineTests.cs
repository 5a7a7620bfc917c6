using EcgHeartbeats;
using OdeNetImages;

namespace NodeDsl.Examples.Tests.CommandLine;

/// <summary>The options both classifier examples share (<see cref="ClassifierCommandLine"/>, <see cref="ClassifierExampleOptions"/>).</summary>
public sealed class ClassifierCommandLineTests
{
    [Fact]
    public void SharedOptionsOverrideThePresetAndKeepTheExamplesOwnSettings()
    {
        var image = ImageCommandLine.Command.Parse("--epochs", "3", "--quick", "--threads", "2", "--lr", "0.01", "--data", "somewhere");
        // --quick's sizes where nothing was given; the given options win wherever they stand; the example's own option kept.
        Assert.Equal((50, 50, 50, 3, 2, 0.01, "somewhere"),
            (image.TrainCount, image.TestCount, image.BatchSize, image.Epochs, image.Threads, image.LearningRate, image.DataDirectory));
        var ecg = EcgCommandLine.Command.Parse("--noise", "0", "--train", "2000");
        Assert.Equal((2000, 1000, 5, 1, 1e-3, 0.0), (ecg.TrainCount, ecg.TestCount, ecg.Epochs, ecg.Threads, ecg.LearningRate, ecg.Noise));
        Assert.Equal(Path.GetFullPath(Path.Combine("out", "ecg")), ecg.OutputDirectory);
    }

    [Fact]
    public void SettingsThatCannotRunAreRefused()
    {
        var parse = Assert.Throws<ArgumentException>(() => ImageCommandLine.Command.Parse("--threads", "0"));
        Assert.Contains("--threads", parse.Message);
        var threads = Assert.Throws<ArgumentException>(() => (new EcgOptions() with { Threads = 0 }).Validate());
        Assert.Contains("Threads (0)", threads.Message);
        Assert.Throws<ArgumentException>(() => (ImageOptions.Quick("out") with { LearningRate = 0 }).Validate());
        ImageOptions.Quick("out").Validate();
    }
}
