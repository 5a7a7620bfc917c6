using System.CommandLine;
using NodeDsl.Examples;

namespace HamiltonianNN;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class HnnCommandLine
{
    static readonly HnnOptions Defaults = new();
    static readonly HnnOptions Quick = HnnOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<int?> Steps = ExampleOptions.Integer("--steps", $"Full-batch Adam steps per model (default {Defaults.Steps}; --quick: {Quick.Steps}).");
    static readonly Option<string?> Task = ExampleOptions.Choice("--task", "Run only this task (default: both).", "spring", "pendulum");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the data, the noise and the initial weights.");

    /// <summary>HamiltonianNN [--quick] [--output DIR] [--steps N] [--task spring|pendulum] [--seed S].</summary>
    public static ExampleCommand<HnnOptions> Command { get; } = new(
        "Hamiltonian neural networks (Greydanus et al. 2019) against a baseline network on the ideal mass–spring and " +
        "pendulum, and the energy drift of symplectic solvers against Dormand–Prince.",
        Defaults.OutputDirectory,
        $"Short run: {Quick.Trajectories} trajectories and {Quick.Steps} steps instead of {Defaults.Trajectories} and {Defaults.Steps}, " +
        $"{Quick.RolloutStates} rollouts, drift study to t = {Quick.DriftEnd}; both tasks and every solver still run.",
        [Steps, Task, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with
            {
                Steps = a.Get(Steps) ?? o.Steps,
                Tasks = a.Get(Task) is { } task ? [task] : o.Tasks,
                Seed = a.Get(Seed) ?? o.Seed,
            };
        });
}
