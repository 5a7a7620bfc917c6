using System.CommandLine;
using NodeDsl.Examples;

namespace SecondOrder;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class SecondOrderCommandLine
{
    static readonly SecondOrderOptions Defaults = new();
    static readonly SecondOrderOptions Quick = SecondOrderOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<int?> Steps = ExampleOptions.Integer("--steps", $"Full-batch Adam steps per model (default {Defaults.Steps}; --quick: {Quick.Steps}).");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the data, the noise and the initial weights.");

    /// <summary>SecondOrder [--quick] [--output DIR] [--steps N] [--seed S].</summary>
    public static ExampleCommand<SecondOrderOptions> Command { get; } = new(
        "A second-order neural ODE (SONODE) against an augmented neural ODE with as many parameters on a damped, driven " +
        "oscillator of which only the position is observed: loss, function evaluations and extrapolation error.",
        Defaults.OutputDirectory,
        $"Short run: {Quick.TrainTrajectories} + {Quick.TestTrajectories} trajectories and {Quick.Steps} steps instead of " +
        $"{Defaults.TrainTrajectories} + {Defaults.TestTrajectories} and {Defaults.Steps}.",
        [Steps, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with { Steps = a.Get(Steps) ?? o.Steps, Seed = a.Get(Seed) ?? o.Seed };
        });
}
