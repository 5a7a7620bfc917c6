using System.CommandLine;
using NodeDsl.Examples;

namespace SystemIdentification;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class SystemIdentificationCommandLine
{
    static readonly SystemIdentificationOptions Defaults = new();
    static readonly SystemIdentificationOptions Quick = SystemIdentificationOptions.Quick(Defaults.OutputDirectory);
    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Training epochs per model (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");

    /// <summary>SystemIdentification [--quick] [--output DIR] [--epochs N].</summary>
    public static ExampleCommand<SystemIdentificationOptions> Command { get; } = new(
        "System identification of dz/dt = A z: a plain neural ODE against a learnable linear map.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.Epochs} epochs per model instead of {Defaults.Epochs}.",
        [Epochs],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Epochs = a.Get(Epochs) ?? o.Epochs };
        });
}
