using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgHeartbeats;

/// <summary>The comparison's outcome.</summary>
/// <param name="Source">"synthetic (ECGSYN)" or the MIT-BIH folder.</param>
/// <param name="TrainCounts">Training beats per class.</param>
/// <param name="TestCounts">Test beats per class.</param>
/// <param name="Runs">ResNet, ODE-Net.</param>
/// <param name="Examples">One test beat per class (its 187 samples), for the beats chart; null for a class without beats.</param>
public sealed record EcgResult(string Source, int[] TrainCounts, int[] TestCounts, IReadOnlyList<ClassifierRun> Runs, float[]?[] Examples)
{
    /// <summary>Whether the beats were generated.</summary>
    public bool IsSynthetic => Source.StartsWith("synthetic", StringComparison.Ordinal);
}

/// <summary>
/// The Zurlo–Facci comparison: a 1-D conv ResNet and an ODE-Net classify heartbeats into N, S, V, F, Q; accuracy, per-class
/// F1, confusion matrices, parameters, NFE and time. The beats are synthetic (<see cref="SyntheticBeats"/>) unless a
/// folder with the public MIT-BIH heartbeat CSV files is given.
/// </summary>
public static class EcgExperiment
{
    /// <summary>Gets the beats, trains both networks, returns their records.</summary>
    public static EcgResult Run(EcgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        set_num_threads(options.Threads);
        var (source, train, test) = Load(options);
        using (train)
        using (test)
        {
            var device = Devices.Default();
            var training = new ClassifierTrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed,
                Optimizer = OptimizerSettings.Adam(options.LearningRate), Schedule = LearningRateSchedule.Cosine(options.Epochs) };
            var runs = ClassifierRun.Compare(
            [
                ("backprop", () => BeatNetworks.ResNet(options.Seed, device)),
                ("checkpointed adjoint", () => BeatNetworks.OdeNet(options.Seed, device, options.Tolerance)),
            ], train, test, training, options.OnEpoch);
            var examples = Enumerable.Range(0, test.Classes).Select(c =>
            {
                int row = test.Labels.ToList().IndexOf(c);
                if (row < 0) return null;
                using var beat = test.Inputs[row].flatten().to(ScalarType.Float32);
                return beat.data<float>().ToArray();
            }).ToArray();
            return new EcgResult(source, train.ClassCounts(), test.ClassCounts(), runs, examples);
        }
    }

    /// <summary>Synthetic beats, or the first beats of the MIT-BIH files when <see cref="EcgOptions.MitBihDirectory"/> is set.</summary>
    public static (string Source, ClassificationData Train, ClassificationData Test) Load(EcgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.MitBihDirectory is { } folder)
        {
            string trainFile = Path.Combine(folder, "mitbih_train.csv"), testFile = Path.Combine(folder, "mitbih_test.csv");
            if (!File.Exists(trainFile) || !File.Exists(testFile))
                throw new FileNotFoundException(
                    $"--mitbih '{folder}' must hold mitbih_train.csv and mitbih_test.csv, the heartbeat set of Kachuee et al. (2018) " +
                    "(187 samples and a label per line); without --mitbih the example generates synthetic beats.", trainFile);
            // The files are sorted by class: take a random subset of the requested size rather than the first beats.
            using var allTrain = HeartbeatCsv.Read(trainFile);
            using var allTest = HeartbeatCsv.Read(testFile);
            return ($"MIT-BIH ({Path.GetFullPath(folder)})", Subset(allTrain, options.TrainCount, options.Seed), Subset(allTest, options.TestCount, options.Seed + 1));
        }
        return ("synthetic (ECGSYN)", SyntheticBeats.Generate(options.TrainCount, options.Seed, options.Noise),
            SyntheticBeats.Generate(options.TestCount, options.Seed + 1_000, options.Noise));
    }

    static ClassificationData Subset(ClassificationData data, int count, long seed)
    {
        var rows = Enumerable.Range(0, data.Count).ToArray();
        new SeededRandom(seed).Shuffle(rows);
        return data.Select(rows.Take(Math.Min(count, rows.Length)).ToArray());
    }
}
