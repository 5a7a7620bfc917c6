using System.CommandLine;
using NodeDsl.Examples;

namespace Cnf;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class CnfCommandLine
{
    static readonly CnfOptions Defaults = new();
    static readonly CnfOptions Quick = CnfOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<int?> Iterations = ExampleOptions.Integer("--iterations", $"Adam steps per model (default {Defaults.Iterations}; --quick: {Quick.Iterations}).");
    static readonly Option<string?> Data = ExampleOptions.Choice("--data", "Learn only this density (default: all three; --quick: moons).",
        "moons", "8gaussians", "checkerboard");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the data, the probes and the initial weights.");

    /// <summary>Cnf [--quick] [--output DIR] [--iterations N] [--data NAME] [--seed S].</summary>
    public static ExampleCommand<CnfOptions> Command { get; } = new(
        "Continuous normalizing flows (FFJORD, Grathwohl et al. 2019) on 2-D toy densities: maximum likelihood with " +
        "Hutchinson's trace estimator and the adjoint, test NLL with the exact trace, NFE with and without the " +
        "kinetic-energy and Jacobian regularisers, density and sample plots.",
        Defaults.OutputDirectory,
        $"Short training: the moons only, {Quick.Iterations} steps of {Quick.BatchSize} points instead of all three densities and {Defaults.Iterations} steps of {Defaults.BatchSize}; both models (plain, regularised) still run.",
        [Iterations, Data, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            var data = a.Get(Data);
            return o with
            {
                Iterations = a.Get(Iterations) ?? o.Iterations,
                Densities = data is null ? o.Densities : [Enum.GetValues<ToyDensity>().First(d => ToyData.Name(d) == data)],
                Seed = a.Get(Seed) ?? o.Seed,
            };
        });
}
