using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// One trained classifier of a comparison (e.g. Chen et al.'s Table 1: ResNet, RK-Net, ODE-Net): its size, per-epoch
/// history, final test evaluation and the memory its forward pass keeps for backward.
/// </summary>
/// <param name="Name">The network's name (e.g. "ODE-Net").</param>
/// <param name="Gradient">How its gradient is computed, in words (e.g. "checkpointed adjoint").</param>
/// <param name="Parameters">Trainable parameters (elements).</param>
/// <param name="History">Per-epoch metrics.</param>
/// <param name="Test">Evaluation of the trained network on the test set.</param>
/// <param name="GraphBytes">What the forward pass of one training batch keeps for backward (<see cref="GraphMemory"/>); null where not measurable.</param>
public sealed record ClassifierRun(string Name, string Gradient, long Parameters, IReadOnlyList<ClassifierEpoch> History, ClassifierEvaluation Test, long? GraphBytes)
{
    /// <summary>The last epoch.</summary>
    public ClassifierEpoch Last => History[^1];

    /// <summary>Mean training seconds per epoch.</summary>
    public double SecondsPerEpoch => History.Average(e => e.Seconds);

    /// <summary>
    /// Trains <paramref name="network"/> with <see cref="ClassifierTrainer"/>, evaluating on <paramref name="test"/> after every
    /// epoch, then measures the backward memory of one training batch (the first <see cref="ClassifierTrainingOptions.BatchSize"/>
    /// training examples). The caller keeps ownership of the network.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="ClassifierTrainingOptions.Epochs"/> is below 1, or the data do not fit (see <see cref="ClassifierTrainer.Fit"/>).</exception>
    public static ClassifierRun Train(nn.Module<Tensor, Tensor> network, string gradient, ClassificationData train, ClassificationData test,
        ClassifierTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 1) throw new ArgumentException($"A comparison trains at least one epoch, not {options.Epochs}.", nameof(options));
        var trainer = new ClassifierTrainer(network, options);
        var history = trainer.Fit(train, test);
        long? bytes;
        using (var scope = NewDisposeScope())
        {
            var rows = Enumerable.Range(0, Math.Min(options.BatchSize, train.Count)).ToArray();
            var (x, y) = train.Batch(rows, trainer.DType, trainer.Device);
            bytes = GraphMemory.ForwardBytes(network, x, y);
        }
        return new ClassifierRun(network.GetName(), gradient, ClassifierNetworks.ParameterCount(network), history, history[^1].Test!, bytes);
    }

    /// <summary>
    /// Trains and measures each network in turn (<see cref="Train"/>) with the same data and settings, disposing each once
    /// it is measured, so only one network is alive at a time.
    /// </summary>
    /// <param name="networks">Per network: how its gradient is computed (in words) and how to build it.</param>
    /// <param name="train">Training set.</param>
    /// <param name="test">Test set, evaluated after every epoch.</param>
    /// <param name="options">Training settings shared by all networks.</param>
    /// <param name="onEpoch">Called after every epoch with the network's name (progress display).</param>
    public static IReadOnlyList<ClassifierRun> Compare(IEnumerable<(string Gradient, Func<nn.Module<Tensor, Tensor>> Build)> networks,
        ClassificationData train, ClassificationData test, ClassifierTrainingOptions options, Action<string, ClassifierEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(options);
        var runs = new List<ClassifierRun>();
        foreach (var (gradient, build) in networks)
        {
            using var network = build();
            string name = network.GetName();
            runs.Add(Train(network, gradient, train, test, options with { OnEpoch = e => onEpoch?.Invoke(name, e) }));
        }
        return runs;
    }
}
