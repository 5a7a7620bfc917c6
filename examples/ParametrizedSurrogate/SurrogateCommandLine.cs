using System.CommandLine;
using NodeDsl.Examples;

namespace ParametrizedSurrogate;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class SurrogateCommandLine
{
    static readonly SurrogateOptions Defaults = new() { ShowProgress = null };
    static readonly SurrogateOptions Quick = SurrogateOptions.Quick(Defaults.OutputDirectory) with { ShowProgress = null };

    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Adam steps, one batch of all training trajectories each (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the network initialisation and of the trainer.");

    /// <summary>ParametrizedSurrogate [--quick] [--output DIR] [--epochs N] [--seed S].</summary>
    public static ExampleCommand<SurrogateOptions> Command { get; } = new(
        "Parametrised neural-ODE surrogate of viscous Burgers' equation u_t + u u_x = μ u_xx: a convolution block conditioned " +
        "on μ, tested on unseen μ inside and outside the training range and beyond the training window.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.Epochs} epochs instead of {Defaults.Epochs}, same data and evaluation.",
        [Epochs, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Epochs = a.Get(Epochs) ?? o.Epochs, Seed = a.Get(Seed) ?? o.Seed };
        });
}
