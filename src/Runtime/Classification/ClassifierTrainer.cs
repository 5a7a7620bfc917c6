using System.Diagnostics;
using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// Trains a network that maps inputs <c>[batch, …]</c> to class scores (logits) <c>[batch, classes]</c> by mini-batch
/// cross-entropy, and evaluates it: loss, confusion matrix, and the NFE of the network's ODE blocks
/// (<see cref="ISolveCounter"/>), so a ResNet, an RK-Net and an ODE-Net are trained and compared the same way.
/// </summary>
/// <remarks>
/// Deterministic for a seed: batches are drawn by a <see cref="SeededRandom"/> permutation per epoch; torch's global
/// generator is neither read nor changed (a network with dropout draws from it as usual). The network's parameters fix
/// the dtype and device; each batch is moved there.
/// </remarks>
public sealed class ClassifierTrainer
{
    readonly nn.Module<Tensor, Tensor> network;
    readonly ISolveCounter[] counters;

    /// <summary>Creates a trainer for <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The network has no parameters.</exception>
    public ClassifierTrainer(nn.Module<Tensor, Tensor> network, ClassifierTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        this.network = network;
        Options = options;
        var first = network.parameters().FirstOrDefault()
                    ?? throw new ArgumentException($"The network {network.GetName()} has no parameters to train.", nameof(network));
        (DType, Device) = (first.dtype, first.device);
        // modules() lists the descendants; the network itself may be an ODE block too.
        counters = network.modules().Prepend(network).OfType<ISolveCounter>().Distinct().ToArray();
    }

    /// <summary>The settings.</summary>
    public ClassifierTrainingOptions Options { get; }
    /// <summary>Element type of the network's parameters; inputs are converted to it.</summary>
    public ScalarType DType { get; }
    /// <summary>Device of the network's parameters; batches are moved there.</summary>
    public Device Device { get; }

    /// <summary>Trains for <see cref="ClassifierTrainingOptions.Epochs"/> epochs, evaluating on <paramref name="test"/> after each.</summary>
    /// <exception cref="ArgumentException">The data are empty, or the two sets have different classes or example shapes.</exception>
    public IReadOnlyList<ClassifierEpoch> Fit(ClassificationData train, ClassificationData? test = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(train));
        if (test is not null && (test.Classes != train.Classes || !test.ExampleShape.SequenceEqual(train.ExampleShape)))
            throw new ArgumentException(
                $"The test set ({test.Classes} classes, examples [{string.Join(", ", test.ExampleShape)}]) does not match the training set " +
                $"({train.Classes} classes, [{string.Join(", ", train.ExampleShape)}]).", nameof(test));
        Options.Validate(train.Classes);
        using var weights = Options.ClassWeights is { } w ? tensor(w.ToArray(), dtype: DType, device: Device) : null;
        using var optimizer = Options.Optimizer.Create(network.parameters());
        var rng = new SeededRandom(Options.Seed);
        var history = new List<ClassifierEpoch>();
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            double rate = Options.Schedule?.Rate(Options.Optimizer.LearningRate, epoch) ?? Options.Optimizer.LearningRate;
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
            var clock = Stopwatch.StartNew();
            var (loss, accuracy, nfe) = TrainEpoch(train, optimizer, weights, rng);
            clock.Stop();
            var evaluation = test is null ? null : Evaluate(test);
            var record = new ClassifierEpoch(epoch + 1, loss, accuracy, evaluation, nfe.Forward, nfe.Backward, rate, clock.Elapsed.TotalSeconds);
            history.Add(record);
            Options.OnEpoch?.Invoke(record);
        }
        return history;
    }

    /// <summary>Predictions, loss, confusion matrix and NFE of the network on <paramref name="data"/>, without gradients, in evaluation mode.</summary>
    public ClassifierEvaluation Evaluate(ClassificationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var predicted = new long[data.Count];
        double lossSum = 0;
        int batches = 0;
        TakeCounts();
        network.eval();
        using (no_grad())
        {
            for (int start = 0; start < data.Count; start += Options.EvaluationBatchSize)
            {
                using var scope = NewDisposeScope();
                var rows = Enumerable.Range(start, System.Math.Min(Options.EvaluationBatchSize, data.Count - start)).ToArray();
                var (x, y) = data.Batch(rows, DType, Device);
                var logits = network.forward(x);
                CheckLogits(logits, rows.Length, data.Classes);
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to(ScalarType.Float64).item<double>();
                logits.argmax(1).cpu().data<long>().ToArray().CopyTo(predicted, start);
                batches++;
            }
        }
        var counts = TakeCounts();
        return new ClassifierEvaluation(lossSum / data.Count, ConfusionMatrix.From(data.Labels, predicted, data.Classes),
            batches == 0 ? 0 : (double)counts.ForwardEvaluations / batches, predicted);
    }

    (double Loss, double Accuracy, (double Forward, double Backward) Nfe) TrainEpoch(ClassificationData train, optim.Optimizer optimizer, Tensor? weights, SeededRandom rng)
    {
        network.train();
        var order = Enumerable.Range(0, train.Count).ToArray();
        rng.Shuffle(order);
        var parameters = network.parameters().ToArray();
        double lossSum = 0;
        long correct = 0;
        int batches = 0;
        var total = default(SolveCounts);
        TakeCounts();
        for (int start = 0; start < order.Length; start += Options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var rows = order.AsSpan(start, System.Math.Min(Options.BatchSize, order.Length - start)).ToArray();
            var (x, y) = train.Batch(rows, DType, Device);
            optimizer.zero_grad();
            var logits = network.forward(x);
            CheckLogits(logits, rows.Length, train.Classes);
            var loss = nn.functional.cross_entropy(logits, y, weights);
            // Not loss.backward(): a failed adjoint solve (drift, step-size underflow, non-finite state) must surface as
            // its own exception, not as libtorch's "invalid gradient" text.
            BackwardPass.Run(loss);
            if (Options.GradientClipNorm is { } clip) nn.utils.clip_grad_norm_(parameters, clip);
            optimizer.step();
            // One host sync per batch for the running metrics.
            lossSum += loss.to(ScalarType.Float64).item<double>() * rows.Length;
            correct += logits.argmax(1).eq(y).sum().item<long>();
            total += TakeCounts();
            batches++;
        }
        return (lossSum / train.Count, (double)correct / train.Count,
            ((double)total.ForwardEvaluations / batches, (double)total.BackwardEvaluations / batches));
    }

    SolveCounts TakeCounts()
    {
        var sum = default(SolveCounts);
        foreach (var counter in counters) sum += counter.TakeCounts();
        return sum;
    }

    void CheckLogits(Tensor logits, int batch, int classes)
    {
        if (logits.dim() != 2 || logits.shape[0] != batch || logits.shape[1] != classes)
            throw new InvalidOperationException(
                $"The network {network.GetName()} returned shape [{string.Join(", ", logits.shape)}] but a classifier must return scores [batch, classes] = [{batch}, {classes}]; end it with a Linear layer to {classes} outputs.");
    }
}
