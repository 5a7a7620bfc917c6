using System.CommandLine;
using NodeDsl.Examples;

namespace AugmentedNode;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class AugmentedNodeCommandLine
{
    static readonly AugmentedNodeOptions Defaults = new();
    static readonly AugmentedNodeOptions Quick = AugmentedNodeOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Passes over the training set per model (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the data, the shuffling and the initial weights.");

    /// <summary>AugmentedNode [--quick] [--output DIR] [--epochs N] [--seed S].</summary>
    public static ExampleCommand<AugmentedNodeOptions> Command { get; } = new(
        "Augmented neural ODEs (Dupont et al. 2019) on the 2-D concentric classification: a plain NODE against ANODEs with " +
        "1 and 5 extra dimensions; accuracy, loss and NFE per epoch, flow plots.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.InnerPoints + Quick.OuterPoints} points and {Quick.Epochs} epochs instead of {Defaults.InnerPoints + Defaults.OuterPoints} and {Defaults.Epochs}; all three models still run.",
        [Epochs, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Epochs = a.Get(Epochs) ?? o.Epochs, Seed = a.Get(Seed) ?? o.Seed };
        });
}
