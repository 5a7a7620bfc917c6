using System.CommandLine;

namespace NodeDsl.Examples;

/// <summary>
/// The command-line options of <see cref="ClassifierExampleOptions"/> (<c>--train --test --epochs --batch --lr --seed
/// --threads</c>), with the example's defaults and <c>--quick</c> values in their help.
/// </summary>
public sealed class ClassifierCommandLine
{
    readonly Option<int?> train, test, epochs, batch, threads;
    readonly Option<double?> rate;
    readonly Option<long?> seed;

    /// <summary>Declares the options.</summary>
    /// <param name="unit">What one example is, plural ("images", "beats").</param>
    /// <param name="defaults">The example's defaults.</param>
    /// <param name="quick">Its <c>--quick</c> preset.</param>
    /// <param name="seedDescription">What the seed draws.</param>
    public ClassifierCommandLine(string unit, ClassifierExampleOptions defaults, ClassifierExampleOptions quick, string seedDescription)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(quick);
        string Preset<T>(Func<ClassifierExampleOptions, T> value) => $"(default {value(defaults)}; --quick: {value(quick)})";
        train = ExampleOptions.Integer("--train", $"Training {unit} used {Preset(o => o.TrainCount)}.");
        test = ExampleOptions.Integer("--test", $"Test {unit} used {Preset(o => o.TestCount)}.");
        epochs = ExampleOptions.Integer("--epochs", $"Passes over the training {unit} {Preset(o => o.Epochs)}.");
        batch = ExampleOptions.Integer("--batch", $"Training {unit} per optimizer step {Preset(o => o.BatchSize)}.");
        rate = ExampleOptions.Positive("--lr", $"Adam's learning rate, cosine schedule over the epochs (default {defaults.LearningRate}).", "RATE");
        seed = ExampleOptions.Seed(seedDescription);
        threads = ExampleOptions.Integer("--threads",
            $"libtorch threads (default {defaults.Threads}: more threads spin-wait on a busy machine; raise it on a quiet one with several cores).");
    }

    /// <summary>The options, to add to the example's command.</summary>
    public IReadOnlyList<Option> Options => [train, test, epochs, batch, rate, seed, threads];

    /// <summary><paramref name="preset"/> (the defaults or the <c>--quick</c> preset) with every option the user gave.</summary>
    public T Read<T>(ExampleArguments arguments, T preset) where T : ClassifierExampleOptions
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(preset);
        // `with` on the base type clones the derived record, so the example's own settings are kept.
        return (T)((ClassifierExampleOptions)preset with
        {
            OutputDirectory = arguments.OutputDirectory,
            TrainCount = arguments.Get(train) ?? preset.TrainCount,
            TestCount = arguments.Get(test) ?? preset.TestCount,
            Epochs = arguments.Get(epochs) ?? preset.Epochs,
            BatchSize = arguments.Get(batch) ?? preset.BatchSize,
            LearningRate = arguments.Get(rate) ?? preset.LearningRate,
            Seed = arguments.Get(seed) ?? preset.Seed,
            Threads = arguments.Get(threads) ?? preset.Threads,
        });
    }
}
