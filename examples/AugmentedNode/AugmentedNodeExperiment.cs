using NodeDsl.Runtime.Training;
using System.Diagnostics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AugmentedNode;

/// <summary>
/// Dupont et al. (2019), "Augmented Neural ODEs", §4.1/Fig. 7–9 in 2-D: a plain NODE and ANODEs with p = 1 and 5 learn the
/// concentric classification; time-dependent ReLU fields [t, x] → 32 → 32 → d + p on t ∈ [0, 1], Dormand–Prince with
/// rtol = atol = 1e-3, a linear read-out, Huber loss, Adam lr 1e-3, batch 64. Gradients: direct backprop through the
/// solver (<see cref="GradientMethod.Direct"/>), as in the paper's code (torchdiffeq <c>odeint</c> without adjoint).
/// </summary>
public static class AugmentedNodeExperiment
{
    /// <summary>Trains every model of <see cref="AugmentedNodeOptions.AugmentedSizes"/>, writes the PNGs and results.csv, returns the histories.</summary>
    public static AugmentedNodeResult Run(AugmentedNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs <= 0 || options.BatchSize <= 0)
            throw new ArgumentException($"Epochs ({options.Epochs}) and BatchSize ({options.BatchSize}) must be positive.");
        Directory.CreateDirectory(options.OutputDirectory);
        // One intra-op thread: [64, 32] tensors gain nothing from more, and the machine is shared.
        torch.set_num_threads(1);
        var data = ConcentricData.Sample(options.InnerPoints, options.OuterPoints, options.Seed);
        var flowPoints = FlowPoints(data, options.FlowPointsPerClass);

        var runs = new List<ModelRun>();
        var flows = new List<FlowCharts.Panel>();
        foreach (int p in options.AugmentedSizes)
        {
            using var classifier = new OdeClassifier(p == 0 ? "node" : $"anode{p}", CreateFlow(p, options.Seed), options.Tolerance);
            string name = p == 0 ? "NODE" : $"ANODE p={p}";
            var history = Train(name, classifier, data, options);
            var (panel, initialMax, finalMax) = Flow(name, classifier, data, flowPoints);
            flows.Add(panel);
            runs.Add(new ModelRun(name, p, history, initialMax, finalMax));
        }
        var result = new AugmentedNodeResult(data.Count, runs);
        FlowCharts.SaveTrajectories(Path.Combine(options.OutputDirectory, "flows.png"), flows);
        FlowCharts.SaveFeatures(Path.Combine(options.OutputDirectory, "features.png"), flows);
        FlowCharts.SaveCurves(options.OutputDirectory, result);
        ResultsCsv.Write(Path.Combine(options.OutputDirectory, "results.csv"), result);
        return result;
    }

    /// <summary>The flow for <paramref name="augmentedSize"/> augmented dimensions, in float64 on the default device.</summary>
    public static OdeModel CreateFlow(int augmentedSize, long seed)
    {
        var modelOptions = new ModelOptions { DType = ScalarType.Float64, Device = Devices.Default(), Seed = seed };
        return augmentedSize switch
        {
            0 => new PlainFlow(modelOptions),
            1 => new AugmentedFlow1(modelOptions),
            5 => new AugmentedFlow5(modelOptions),
            _ => throw new ArgumentException(
                $"No model with {augmentedSize} augmented dimensions; use 0, 1 or 5, or add an [OdeModel] with [Augmented({augmentedSize})] Vec a.", nameof(augmentedSize)),
        };
    }

    static List<EpochRecord> Train(string name, OdeClassifier classifier, ConcentricData data, AugmentedNodeOptions options)
    {
        var flow = classifier.Flow;
        using var x = Points(data.Points, flow);
        using var labels = tensor(data.Labels, dtype: flow.DType, device: flow.Device);
        using var optimizer = OptimizerSettings.Adam(options.LearningRate).Create(classifier.parameters());
        var rng = new Random(unchecked((int)options.Seed) + 17);
        var history = new List<EpochRecord> { Evaluate(0, double.NaN, double.NaN, 0, classifier, x, labels) };
        options.OnEpoch?.Invoke(name, history[0]);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var order = Enumerable.Range(0, data.Count).ToArray();
            rng.Shuffle(order);
            double lossSum = 0, nfeSum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var rows = tensor(order.AsSpan(start, System.Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray(), device: flow.Device);
                optimizer.zero_grad();
                var output = classifier.Forward(x.index_select(0, rows));
                var loss = HuberLoss.Mean(output.Scores, labels.index_select(0, rows));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<double>();
                nfeSum += output.ForwardEvaluations;
                batches++;
            }
            clock.Stop();
            history.Add(Evaluate(epoch, lossSum / batches, nfeSum / batches, clock.Elapsed.TotalSeconds, classifier, x, labels));
            options.OnEpoch?.Invoke(name, history[^1]);
        }
        return history;
    }

    static EpochRecord Evaluate(int epoch, double trainLoss, double forwardNfe, double seconds, OdeClassifier classifier, Tensor x, Tensor labels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var output = classifier.Forward(x);
        double loss = HuberLoss.Mean(output.Scores, labels).item<double>();
        // sign(score) = label ⇔ score·label > 0 (a score of exactly 0 counts as wrong).
        double accuracy = ScalarOps.Gt(output.Scores * labels, 0.0).to(ScalarType.Float64).mean().item<double>();
        return new EpochRecord(epoch, trainLoss, loss, accuracy, forwardNfe, output.ForwardEvaluations, seconds);
    }

    static (FlowCharts.Panel Panel, double InitialMax, double FinalMax) Flow(string name, OdeClassifier classifier, ConcentricData data, int[] rows)
    {
        var flow = classifier.Flow;
        using var scope = NewDisposeScope();
        var picked = new double[rows.Length, 2];
        for (int i = 0; i < rows.Length; i++) (picked[i, 0], picked[i, 1]) = (data.Points[rows[i], 0], data.Points[rows[i], 1]);
        var x = Points(picked, flow);
        var times = linspace(0, 1, 21, dtype: flow.DType, device: flow.Device);
        var ys = classifier.Trajectories(x, times);   // [T, n, d + p]
        int d = flow.Layout.ObservedSize, p = classifier.AugmentedSize;
        double initialMax = p == 0 ? 0 : ys[0].narrow(1, d, p).abs().max().to(ScalarType.Float64, CPU).item<double>();
        double finalMax = p == 0 ? 0 : ys[-1].narrow(1, d, p).abs().max().to(ScalarType.Float64, CPU).item<double>();
        var host = ys.to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        int steps = (int)ys.shape[0], n = rows.Length, width = (int)ys.shape[2];
        var trajectories = new double[n][][];
        for (int i = 0; i < n; i++)
        {
            trajectories[i] = new double[steps][];
            for (int k = 0; k < steps; k++) trajectories[i][k] = host.AsSpan((k * n + i) * width, width).ToArray();
        }
        var (weight, bias) = classifier.Readout();
        var labels = rows.Select(r => data.Labels[r]).ToArray();
        return (new FlowCharts.Panel(name, trajectories, labels, weight, bias), initialMax, finalMax);
    }

    /// <summary>The first <paramref name="perClass"/> points of each class (the data are in random order within a class).</summary>
    static int[] FlowPoints(ConcentricData data, int perClass)
    {
        var inner = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] < 0).Take(perClass);
        var outer = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] > 0).Take(perClass);
        return inner.Concat(outer).ToArray();
    }

    static Tensor Points(double[,] points, OdeModel flow)
    {
        var flat = new double[points.Length];
        Buffer.BlockCopy(points, 0, flat, 0, flat.Length * sizeof(double));
        using var host = tensor(flat, points.GetLength(0), points.GetLength(1), dtype: ScalarType.Float64);
        return host.to(flow.DType, flow.Device);
    }
}
