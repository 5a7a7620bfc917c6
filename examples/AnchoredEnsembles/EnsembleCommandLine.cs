using System.CommandLine;
using NodeDsl.Examples;

namespace AnchoredEnsembles;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class EnsembleCommandLine
{
    static readonly ExperimentOptions Defaults = new() { ShowProgress = null };
    static readonly ExperimentOptions Quick = ExperimentOptions.Quick(Defaults.OutputDirectory) with { ShowProgress = null };

    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Training epochs, one batch of windows each (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the data, the windows, the initial weights and the anchors.");

    /// <summary>AnchoredEnsembles [--quick] [--output DIR] [--epochs N] [--seed S].</summary>
    public static ExampleCommand<ExperimentOptions> Command { get; } = new(
        "Anchored ensembles of neural ODEs (Pearce et al. 2018) on the noisy damped spiral: coverage of held-out observations " +
        "by mean ± 2σ for several ensemble sizes and prior variances.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.Epochs} epochs of {Quick.BatchSize} windows instead of {Defaults.Epochs} of {Defaults.BatchSize}; every ensemble size and prior still runs.",
        [Epochs, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Epochs = a.Get(Epochs) ?? o.Epochs, Seed = a.Get(Seed) ?? o.Seed };
        });
}
