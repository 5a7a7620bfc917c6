using NodeDsl.Examples;
using NodeDsl.Runtime.Classification;

namespace OdeNetImages;

/// <summary>Settings of the image classification comparison (the shared ones in <see cref="ClassifierExampleOptions"/>).</summary>
public sealed record ImageOptions : ClassifierExampleOptions
{
    /// <summary>The defaults: 10 000 training and 2 000 test images, 4 epochs of batches of 128, Adam at 3e-3.</summary>
    public ImageOptions() : base(Path.Combine("out", "odenet-images"), trainCount: 10_000, testCount: 2_000, epochs: 4) => LearningRate = 3e-3;

    /// <summary>Folder with MNIST-format files; null: Debian's package, else the bundled sample (<see cref="ImageData.Locate"/>).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Called after every epoch of every model (progress display).</summary>
    public Action<string, ClassifierEpoch>? OnEpoch { get; init; }

    /// <summary>The <c>--quick</c> preset (<see cref="ClassifierExampleOptions.SmokeTest"/>): 50 + 50 images, two Adam steps per network.</summary>
    public static ImageOptions Quick(string outputDirectory) => SmokeTest(new ImageOptions(), outputDirectory);
}
