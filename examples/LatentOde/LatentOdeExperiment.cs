using NodeDsl.Runtime.Training;
using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Sequences;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentOdeSpirals;

/// <summary>
/// Chen et al.'s (2018, §5) latent-ODE experiment: spirals observed at irregular times, a GRU encoder run backwards gives
/// q(z₀), the DSL model <see cref="SpiralLatentDynamics"/> carries z₀ over the batch's union grid in one solve, a decoder
/// 4 → 20 → 2 (ReLU) gives the observation means; trained by maximising the ELBO (Adam). The RNN baseline
/// (<see cref="RnnVae"/>) shares the encoder's design and the ELBO. Both are scored on held-out spirals against the
/// noise-free truth: inside the observation window (interpolation) and over the following window (extrapolation).
/// </summary>
public static class LatentOdeExperiment
{
    /// <summary>Trains both models, writes the PNGs and CSV files, returns the metrics.</summary>
    public static LatentOdeResult Run(LatentOdeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 1 || options.BatchSize < 1 || options.Spirals < 2 || !(options.TestFraction is > 0 and < 1))
            throw new ArgumentException(
                $"Epochs ({options.Epochs}), BatchSize ({options.BatchSize}) must be positive, Spirals ({options.Spirals}) at least 2 and TestFraction ({options.TestFraction}) in (0, 1).");
        Directory.CreateDirectory(options.OutputDirectory);
        // One intra-op thread: [100, 25] tensors gain nothing from more, and the machine may be shared.
        torch.set_num_threads(1);
        var spirals = SpiralData.Generate(options.Spirals, options.Observed, options.NoiseStd, options.Seed);
        int testCount = Math.Max(1, (int)Math.Round(options.TestFraction * spirals.Count));
        var train = Enumerable.Range(0, spirals.Count - testCount).ToArray();
        var test = Enumerable.Range(spirals.Count - testCount, testCount).ToArray();
        var dtype = ScalarType.Float32;
        var device = Devices.Default();

        using var latentOde = CreateLatentOde(options, dtype, device);
        var odeModel = new LatentOdeModel(latentOde);
        var odeResult = TrainAndEvaluate(odeModel, latentOde.parameters().Sum(p => p.numel()), spirals, train, test, options, dtype, device);

        using var rnn = new RnnVae(CreateEncoder(options, dtype, device), options.RnnHidden, options.NoiseStd, options.Seed, dtype, device);
        var rnnResult = TrainAndEvaluate(rnn, rnn.parameters().Sum(p => p.numel()), spirals, train, test, options, dtype, device);

        var result = new LatentOdeResult(train.Length, test.Length, odeResult, rnnResult);
        LatentOdeReport.Write(options, spirals, test, result, odeModel, rnn, dtype, device);
        return result;
    }

    /// <summary>The latent ODE of the experiment: encoder, <see cref="SpiralLatentDynamics"/> and decoder, seeded from <see cref="LatentOdeOptions.Seed"/>.</summary>
    public static LatentOde CreateLatentOde(LatentOdeOptions options, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dynamics = new SpiralLatentDynamics(new ModelOptions { DType = dtype, Device = device, Seed = options.Seed });
        var decoder = SeededConstruction.CreateWithGenerator(options.Seed, 20,
            () => new Mlp("decoder", options.LatentSize, [20], 2, NodeDsl.Activation.Relu, dtype, device));
        var settings = new LatentOdeSettings
        {
            ObservationStd = options.NoiseStd,
            SolverOptions = new SolverOptions { RelativeTolerance = options.Tolerance, AbsoluteTolerance = options.Tolerance / 10 },
        };
        return new LatentOde("latent-ode", CreateEncoder(options, dtype, device), dynamics, decoder, settings);
    }

    static GruEncoder CreateEncoder(LatentOdeOptions options, ScalarType dtype, Device device)
        => new("encoder", 2, options.EncoderHidden, options.LatentSize, options.Seed, dtype, device);

    static ModelResult TrainAndEvaluate(ISequenceModel model, long parameterCount, SpiralSet spirals, int[] train, int[] test,
        LatentOdeOptions options, ScalarType dtype, Device device)
    {
        using var optimizer = OptimizerSettings.Adam(options.LearningRate).Create(model.Parameters);
        var order = new NodeDsl.Runtime.Data.SeededRandom(options.Seed + 101);
        using var noise = new Generator(unchecked((ulong)(options.Seed + 202)), device);
        var history = new List<EpochRecord>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var rows = (int[])train.Clone();
            order.Shuffle(rows);
            double lossSum = 0, klSum = 0, nfeSum = 0;
            int batches = 0;
            for (int start = 0; start < rows.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                using var batch = IrregularBatch.Build(spirals.Observed, rows[start..Math.Min(rows.Length, start + options.BatchSize)], 0.0, dtype, device);
                optimizer.zero_grad();
                var (terms, nfe) = model.Elbo(batch, noise);
                var loss = terms.NegativeElbo();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                klSum += terms.Kl.mean().item<float>();
                nfeSum += nfe;
                batches++;
            }
            history.Add(new EpochRecord(epoch, lossSum / batches, klSum / batches, nfeSum / batches, clock.Elapsed.TotalSeconds));
            options.OnEpoch?.Invoke(model.Name, history[^1]);
        }
        var (interpolation, extrapolation, testElbo) = Evaluate(model, spirals, test, dtype, device, noise);
        return new ModelResult(model.Name, parameterCount, interpolation, extrapolation, testElbo, history);
    }

    /// <summary>Test MSE inside and after the observation window (posterior mean, noise-free truth) and the test negative ELBO.</summary>
    static (double Interpolation, double Extrapolation, double NegativeElbo) Evaluate(ISequenceModel model, SpiralSet spirals, int[] test,
        ScalarType dtype, Device device, Generator noise)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var batch = IrregularBatch.Build(spirals.Observed, test, 0.0, dtype, device);
        var prediction = Predict(model, batch, spirals.SampleTimes, dtype, device);   // [test, 200, 2]
        int window = SpiralData.WindowPoints;
        double inside = 0, after = 0;
        for (int i = 0; i < test.Length; i++)
        {
            var truth = spirals.Truth[test[i]];
            for (int k = 0; k < 2 * window; k++)
                for (int j = 0; j < 2; j++)
                {
                    double e = prediction[i][k, j] - truth[k, j];
                    if (k < window) inside += e * e; else after += e * e;
                }
        }
        double count = test.Length * window * 2.0;
        var (terms, _) = model.Elbo(batch, noise);
        return (inside / count, after / count, terms.NegativeElbo().item<float>());
    }

    /// <summary>Posterior-mean predictions at <paramref name="times"/> as host arrays, <c>[row][time, 2]</c>.</summary>
    public static double[][,] Predict(ISequenceModel model, IrregularBatch batch, double[] times, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ts = tensor(times, ScalarType.Float64).to(dtype, device);
        var host = model.Predict(batch, ts).to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();   // [T, B, 2]
        var result = new double[batch.Size][,];
        for (int r = 0; r < batch.Size; r++)
        {
            result[r] = new double[times.Length, 2];
            for (int k = 0; k < times.Length; k++)
                for (int j = 0; j < 2; j++) result[r][k, j] = host[(k * batch.Size + r) * 2 + j];
        }
        return result;
    }
}
