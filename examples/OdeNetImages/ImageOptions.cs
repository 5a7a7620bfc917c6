using NodeDsl.Runtime.Classification;

namespace OdeNetImages;

/// <summary>Settings of the image classification comparison.</summary>
public sealed record ImageOptions
{
    /// <summary>Folder for PNGs and CSV files.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "odenet-images");
    /// <summary>Folder with MNIST-format files; null: Debian's package, else the bundled sample (<see cref="ImageData.Locate"/>).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Training images used (the first ones of the training file; all when larger).</summary>
    public int TrainCount { get; init; } = 10_000;
    /// <summary>Test images used (the first ones of the test file; all when larger).</summary>
    public int TestCount { get; init; } = 2_000;
    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; init; } = 4;
    /// <summary>Images per optimizer step (Chen et al.: 128).</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>Relative and absolute tolerance of the ODE blocks' Dormand–Prince solves (Chen et al.: 1e-3).</summary>
    public double Tolerance { get; init; } = 1e-3;
    /// <summary>Seed of the weights and of the batch order.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Called after every epoch of every model (progress display).</summary>
    public Action<string, ClassifierEpoch>? OnEpoch { get; init; }

    /// <summary>The <c>--quick</c> preset: 500 training and 200 test images, 2 epochs of batches of 50.</summary>
    public static ImageOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory,
        TrainCount = 500,
        TestCount = 200,
        Epochs = 2,
        BatchSize = 50,
    };
}
