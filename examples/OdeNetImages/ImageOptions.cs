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

    /// <summary>
    /// The <c>--quick</c> preset, a smoke test of every part (CI runs it): 50 training and 50 test images, 2 epochs of one
    /// batch of 50, i.e. two Adam steps per network — enough to check that a step along each network's gradient lowers
    /// its loss, to count NFE and to measure the backward memory, not to learn Fashion-MNIST (docs/odenet-images.md).
    /// </summary>
    public static ImageOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory,
        TrainCount = 50,
        TestCount = 50,
        Epochs = 2,
        BatchSize = 50,
    };
}
