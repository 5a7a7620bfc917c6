using System.CommandLine;
using NodeDsl.Examples;

namespace SurrogateExport;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class ExportCommandLine
{
    /// <summary>Name of the weight file a <c>--quick</c> run writes into its output folder.</summary>
    public const string QuickWeightsFile = "damped-oscillator.nodew";

    static readonly SurrogateExportOptions Defaults = new();
    static readonly SurrogateExportOptions Quick = SurrogateExportOptions.Quick(Defaults.OutputDirectory, QuickWeightsFile) with { ShowProgress = null };

    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Adam steps on all trajectories (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<string?> Weights = ExampleOptions.Text("--weights",
        "Where the weight file goes (default: examples/SurrogateLibrary/Weights/damped-oscillator.nodew of this clone, which the library embeds).", "PATH");

    /// <summary>SurrogateExport [--quick] [--output DIR] [--epochs N] [--weights PATH].</summary>
    public static ExampleCommand<SurrogateExportOptions> Command { get; } = new(
        "Trains the damped-oscillator UDE for a range of damping ratios and exports its weights into examples/SurrogateLibrary.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.Epochs} epochs on {Quick.ZetaCount} damping ratios instead of {Defaults.Epochs} on {Defaults.ZetaCount}. " +
        $"The weights then go to DIR/{QuickWeightsFile} (not into the library) unless --weights is given.",
        [Epochs, Weights],
        a =>
        {
            var o = (a.Quick ? Quick with { WeightsPath = Path.Combine(a.OutputDirectory, QuickWeightsFile) } : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Epochs = a.Get(Epochs) ?? o.Epochs, WeightsPath = a.Get(Weights) is { } path ? Path.GetFullPath(path) : o.WeightsPath };
        });
}
