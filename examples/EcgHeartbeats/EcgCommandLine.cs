using System.CommandLine;
using NodeDsl.Examples;

namespace EcgHeartbeats;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class EcgCommandLine
{
    static readonly EcgOptions Defaults = new();
    static readonly EcgOptions Quick = EcgOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<string?> MitBih = ExampleOptions.Text("--mitbih",
        "Folder with the public MIT-BIH heartbeat files mitbih_train.csv and mitbih_test.csv (187 samples + label per line). Default: synthetic ECGSYN beats.", "DIR");
    static readonly Option<int?> Train = ExampleOptions.Integer("--train", $"Training beats (default {Defaults.TrainCount}; --quick: {Quick.TrainCount}).");
    static readonly Option<int?> Test = ExampleOptions.Integer("--test", $"Test beats (default {Defaults.TestCount}; --quick: {Quick.TestCount}).");
    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Passes over the training beats (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<int?> Batch = ExampleOptions.Integer("--batch", $"Beats per optimizer step (default {Defaults.BatchSize}; --quick: {Quick.BatchSize}).");
    static readonly Option<double?> Noise = ExampleOptions.Positive("--noise", $"White-noise level of the synthetic beats (default {Defaults.Noise}).", "SIGMA", allowZero: true);
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the beats, the initial weights and the batch order.");

    /// <summary>EcgHeartbeats [--quick] [--output DIR] [--mitbih DIR] [--train N] [--test N] [--epochs N] [--batch N] [--noise SIGMA] [--seed S].</summary>
    public static ExampleCommand<EcgOptions> Command { get; } = new(
        "Heartbeat classification (N, S, V, F, Q) with a 1-D conv ResNet and an ODE-Net, after Zurlo & Facci. The beats are " +
        "SYNTHETIC, drawn from McSharry et al.'s ECGSYN model written as a NodeDsl model, unless --mitbih points at the real set.",
        Defaults.OutputDirectory,
        $"Short run: {Quick.TrainCount} training and {Quick.TestCount} test beats, {Quick.Epochs} epochs.",
        [MitBih, Train, Test, Epochs, Batch, Noise, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with
            {
                MitBihDirectory = a.Get(MitBih) ?? o.MitBihDirectory,
                TrainCount = a.Get(Train) ?? o.TrainCount,
                TestCount = a.Get(Test) ?? o.TestCount,
                Epochs = a.Get(Epochs) ?? o.Epochs,
                BatchSize = a.Get(Batch) ?? o.BatchSize,
                Noise = a.Get(Noise) ?? o.Noise,
                Seed = a.Get(Seed) ?? o.Seed,
            };
        });
}
