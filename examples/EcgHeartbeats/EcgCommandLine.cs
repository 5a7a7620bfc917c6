using System.CommandLine;
using NodeDsl.Examples;

namespace EcgHeartbeats;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class EcgCommandLine
{
    static readonly EcgOptions Defaults = new();
    static readonly EcgOptions Quick = EcgOptions.Quick(Defaults.OutputDirectory);
    static readonly ClassifierCommandLine Training = new("beats", Defaults, Quick, "Seed of the beats, the initial weights and the batch order.");

    static readonly Option<string?> MitBih = ExampleOptions.Text("--mitbih",
        "Folder with the public MIT-BIH heartbeat files mitbih_train.csv and mitbih_test.csv (187 samples + label per line). Default: synthetic ECGSYN beats.", "DIR");
    static readonly Option<double?> Noise = ExampleOptions.Positive("--noise", $"White-noise level of the synthetic beats (default {Defaults.Noise}).", "SIGMA", allowZero: true);

    /// <summary>EcgHeartbeats [--quick] [--output DIR] [--mitbih DIR] [--noise SIGMA] [--train N] [--test N] [--epochs N] [--batch N] [--lr RATE] [--seed S] [--threads N].</summary>
    public static ExampleCommand<EcgOptions> Command { get; } = new(
        "Heartbeat classification (N, S, V, F, Q) with a 1-D conv ResNet and an ODE-Net, after Zurlo & Facci. The beats are " +
        "SYNTHETIC, drawn from McSharry et al.'s ECGSYN model written as a NodeDsl model, unless --mitbih points at the real set.",
        Defaults.OutputDirectory,
        $"Short run: {Quick.TrainCount} training and {Quick.TestCount} test beats, {Quick.Epochs} epochs.",
        [MitBih, Noise, .. Training.Options],
        a =>
        {
            var o = Training.Read(a, a.Quick ? Quick : Defaults);
            return o with { MitBihDirectory = a.Get(MitBih), Noise = a.Get(Noise) ?? o.Noise };
        });
}
