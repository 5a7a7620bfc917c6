using System.CommandLine;
using NodeDsl.Examples;

namespace LatentOdeSpirals;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class LatentOdeCommandLine
{
    static readonly LatentOdeOptions Defaults = new();
    static readonly LatentOdeOptions Quick = LatentOdeOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Passes over the training spirals per model (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<int?> Observed = ExampleOptions.Integer("--observed",
        $"Observations per trajectory out of the window's 100 sample times, 2 to 100 (default {Defaults.Observed}).", minimum: 2);
    static readonly Option<long?> Seed = ExampleOptions.Seed();

    static LatentOdeCommandLine()
    {
        Observed.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is > SpiralData.WindowPoints)
                r.AddError($"--observed takes at most {SpiralData.WindowPoints} (the window's sample times), not {r.GetValueOrDefault<int?>()}.");
        });
    }

    /// <summary>LatentOde [--quick] [--output DIR] [--epochs N] [--observed N] [--seed S].</summary>
    public static ExampleCommand<LatentOdeOptions> Command { get; } = new(
        "Latent ODE (Chen et al. 2018 §5) on 2-D spirals observed at irregular times: GRU encoder, DSL latent dynamics, " +
        "ELBO training; interpolation and extrapolation MSE against an RNN baseline, reconstruction plots.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.Spirals} spirals and {Quick.Epochs} epochs instead of {Defaults.Spirals} and {Defaults.Epochs}; both models still run.",
        [Epochs, Observed, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Epochs = a.Get(Epochs) ?? o.Epochs, Observed = a.Get(Observed) ?? o.Observed, Seed = a.Get(Seed) ?? o.Seed };
        });
}
