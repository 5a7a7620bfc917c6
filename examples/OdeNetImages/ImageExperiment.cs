using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>The comparison's outcome.</summary>
/// <param name="DataDirectory">Where the images came from.</param>
/// <param name="IsSample">Whether they were the bundled 500 + 200 sample.</param>
/// <param name="TrainCount">Training images used.</param>
/// <param name="TestCount">Test images used.</param>
/// <param name="Runs">ResNet, RK-Net, ODE-Net.</param>
/// <param name="ClassNames">Fashion-MNIST's ten classes.</param>
public sealed record ImageResult(string DataDirectory, bool IsSample, int TrainCount, int TestCount, IReadOnlyList<ClassifierRun> Runs, IReadOnlyList<string> ClassNames);

/// <summary>
/// Chen et al. (2018), §7.1 / Table 1 on Fashion-MNIST: a ResNet, an RK-Net and an ODE-Net with the same stem and head,
/// trained alike (Adam, cross-entropy) and compared on test error, parameters, memory of the backward pass and NFE.
/// </summary>
public static class ImageExperiment
{
    /// <summary>Loads the images, trains the three networks, and returns their records.</summary>
    public static ImageResult Run(ImageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        set_num_threads(options.Threads);
        var (folder, isSample) = ImageData.Locate(options.DataDirectory);
        using var train = MnistFiles.Load(folder, MnistSplit.Train, options.TrainCount);
        using var test = MnistFiles.Load(folder, MnistSplit.Test, options.TestCount);
        var device = Devices.Default();
        var training = new ClassifierTrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed,
            Optimizer = OptimizerSettings.Adam(options.LearningRate), Schedule = LearningRateSchedule.Cosine(options.Epochs) };
        var runs = ClassifierRun.Compare(
        [
            ("backprop", () => Networks.ResNet(options.Seed, device)),
            ("direct (through Dopri5)", () => Networks.RkNet(options.Seed, device, options.Tolerance)),
            ("checkpointed adjoint", () => Networks.OdeNet(options.Seed, device, options.Tolerance)),
        ], train, test, training, options.OnEpoch);
        return new ImageResult(folder, isSample, train.Count, test.Count, runs, train.ClassNames);
    }
}
