using System.CommandLine;
using NodeDsl.Examples;

namespace LotkaVolterraUde;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class UdeCommandLine
{
    static readonly UdeExperimentOptions Defaults = new() { ShowProgress = null };
    static readonly UdeExperimentOptions Quick = UdeExperimentOptions.Quick(Defaults.OutputDirectory) with { ShowProgress = null };

    static readonly Option<int?> AdamEpochs = ExampleOptions.Integer("--epochs", $"Adam steps per model (default {Defaults.AdamEpochs}; --quick: {Quick.AdamEpochs}).");
    static readonly Option<int?> LbfgsEpochs = ExampleOptions.Integer("--lbfgs-epochs", $"L-BFGS steps after Adam, 0 for none (default {Defaults.LbfgsEpochs}; --quick: {Quick.LbfgsEpochs}).", minimum: 0);
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the observation noise and of both models' initial weights.");

    /// <summary>LotkaVolterraUde [--quick] [--output DIR] [--epochs N] [--lbfgs-epochs N] [--seed S].</summary>
    public static ExampleCommand<UdeExperimentOptions> Command { get; } = new(
        "Lotka–Volterra universal differential equation (Rackauckas et al. 2020): known growth and decay plus a network for " +
        "the interaction, against a pure neural ODE; sparse regression recovers the interaction terms.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.AdamEpochs} Adam and {Quick.LbfgsEpochs} L-BFGS steps instead of {Defaults.AdamEpochs} and {Defaults.LbfgsEpochs}.",
        [AdamEpochs, LbfgsEpochs, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with
            {
                AdamEpochs = a.Get(AdamEpochs) ?? o.AdamEpochs,
                LbfgsEpochs = a.Get(LbfgsEpochs) ?? o.LbfgsEpochs,
                Seed = a.Get(Seed) ?? o.Seed,
            };
        });
}
