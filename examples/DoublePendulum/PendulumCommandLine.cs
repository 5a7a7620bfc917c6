using System.CommandLine;
using NodeDsl.Examples;

namespace DoublePendulum;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class PendulumCommandLine
{
    static readonly PendulumOptions Defaults = new();
    static readonly PendulumOptions Quick = PendulumOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<int?> Steps = ExampleOptions.Integer("--steps", $"Full-batch Adam steps per model (default {Defaults.Steps}; --quick: {Quick.Steps}).");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the data and the initial weights.");

    /// <summary>DoublePendulum [--quick] [--output DIR] [--steps N] [--seed S].</summary>
    public static ExampleCommand<PendulumOptions> Command { get; } = new(
        "A Lagrangian neural network (Cranmer et al. 2020) against a network that predicts accelerations and a Hamiltonian " +
        "neural network on canonical coordinates, on the double pendulum: fit error, trajectory error and energy drift over long rollouts.",
        Defaults.OutputDirectory,
        $"Short run: {Quick.Steps} steps instead of {Defaults.Steps}, {Quick.RolloutStates} rollouts to t = {Quick.RolloutEnd} instead of {Defaults.RolloutStates} to {Defaults.RolloutEnd}.",
        [Steps, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Steps = a.Get(Steps) ?? o.Steps, Seed = a.Get(Seed) ?? o.Seed };
        });
}
