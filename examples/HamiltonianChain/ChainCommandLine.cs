using System.CommandLine;
using NodeDsl.Examples;

namespace HamiltonianChain;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class ChainCommandLine
{
    static readonly ChainOptions Defaults = new();
    static readonly ChainOptions Quick = ChainOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Training epochs of each formulation (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<double?> RolloutEnd = ExampleOptions.Positive("--rollout-end", $"End of the long rollouts in s (default {Defaults.RolloutEnd}; --quick: {Quick.RolloutEnd}).", "T");
    static readonly Option<long?> Seed = ExampleOptions.Seed();

    /// <summary>HamiltonianChain [--quick] [--output DIR] [--epochs N] [--rollout-end T] [--seed S].</summary>
    public static ExampleCommand<ChainOptions> Command { get; } = new(
        "An 8-mass FPU-β chain as a vector Hamiltonian: fits k and β from noisy trajectories written once over Vec " +
        "coordinates and once as 8 scalar pairs (time per epoch of each), then long rollouts with symplectic and " +
        "Runge–Kutta solvers (trajectory error, energy drift).",
        Defaults.OutputDirectory,
        $"Short run: {Quick.Trajectories} trajectories, {Quick.Epochs} epochs, rollouts to t = {Quick.RolloutEnd}, {Quick.TimedCalls} timed calls.",
        [Epochs, RolloutEnd, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Epochs = a.Get(Epochs) ?? o.Epochs, RolloutEnd = a.Get(RolloutEnd) ?? o.RolloutEnd, Seed = a.Get(Seed) ?? o.Seed };
        });
}
