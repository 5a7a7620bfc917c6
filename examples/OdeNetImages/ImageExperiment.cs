using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>One trained classifier: its size, history, final test evaluation and cost.</summary>
/// <param name="Name">ResNet, RK-Net or ODE-Net.</param>
/// <param name="Gradient">How its gradient is computed.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="History">Per-epoch metrics.</param>
/// <param name="Test">Evaluation of the trained network on the test images.</param>
/// <param name="GraphBytes">Memory the forward pass of one training batch keeps for backward (<see cref="GraphMemory"/>); null where not measurable.</param>
public sealed record ModelRun(string Name, string Gradient, long Parameters, IReadOnlyList<ClassifierEpoch> History, ClassifierEvaluation Test, long? GraphBytes)
{
    /// <summary>The last epoch.</summary>
    public ClassifierEpoch Last => History[^1];
    /// <summary>Mean training seconds per epoch.</summary>
    public double SecondsPerEpoch => History.Average(e => e.Seconds);
}

/// <summary>The comparison's outcome.</summary>
/// <param name="DataDirectory">Where the images came from.</param>
/// <param name="IsSample">Whether they were the bundled 500 + 200 sample.</param>
/// <param name="TrainCount">Training images used.</param>
/// <param name="TestCount">Test images used.</param>
/// <param name="Runs">ResNet, RK-Net, ODE-Net.</param>
/// <param name="ClassNames">Fashion-MNIST's ten classes.</param>
public sealed record ImageResult(string DataDirectory, bool IsSample, int TrainCount, int TestCount, IReadOnlyList<ModelRun> Runs, IReadOnlyList<string> ClassNames);

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
        if (options.Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {options.Epochs}.");
        if (options.TrainCount < 1 || options.TestCount < 1)
            throw new ArgumentException($"TrainCount ({options.TrainCount}) and TestCount ({options.TestCount}) must be at least 1.");
        var (folder, isSample) = ImageData.Locate(options.DataDirectory);
        using var train = MnistFiles.Load(folder, MnistSplit.Train, options.TrainCount);
        using var test = MnistFiles.Load(folder, MnistSplit.Test, options.TestCount);
        var device = Devices.Default();
        var training = new ClassifierTrainingOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Optimizer = OptimizerSettings.Adam(options.LearningRate),
            Schedule = LearningRateSchedule.Cosine(options.Epochs),
            Seed = options.Seed,
        };
        var runs = new List<ModelRun>
        {
            Train(Networks.ResNet(options.Seed, device), "backprop", train, test, training, options),
            Train(Networks.RkNet(options.Seed, device, options.Tolerance), "direct (through Dopri5)", train, test, training, options),
            Train(Networks.OdeNet(options.Seed, device, options.Tolerance), "checkpointed adjoint", train, test, training, options),
        };
        return new ImageResult(folder, isSample, train.Count, test.Count, runs, train.ClassNames);
    }

    static ModelRun Train(ImageClassifier network, string gradient, ClassificationData train, ClassificationData test,
        ClassifierTrainingOptions training, ImageOptions options)
    {
        using (network)
        {
            string name = network.GetName();
            var trainer = new ClassifierTrainer(network, training with { OnEpoch = e => options.OnEpoch?.Invoke(name, e) });
            var history = trainer.Fit(train, test);
            var evaluation = history.Count > 0 ? history[^1].Test! : trainer.Evaluate(test);
            long? bytes;
            using (var scope = NewDisposeScope())
            {
                var rows = Enumerable.Range(0, Math.Min(options.BatchSize, train.Count)).ToArray();
                var (x, y) = train.Batch(rows, trainer.DType, trainer.Device);
                bytes = GraphMemory.ForwardBytes(network, x, y);
            }
            return new ModelRun(name, gradient, Networks.ParameterCount(network), history, evaluation, bytes);
        }
    }
}
