using NodeDsl.Runtime;
using Xunit.Abstractions;

namespace NodeDsl.Examples.Tests.Docs;

/// <summary>
/// docs/training.md, "Identifiability", checked by running it: β next to a network on the same flux is not identified;
/// each remedy the page shows brings it back (or, for more data, does not — as the page says).
/// </summary>
public sealed class IdentifiabilityTests(ITestOutputHelper output)
{
    [Fact]
    public void Beta_is_identified_only_without_a_redundant_network_term()
    {
        var one = IdentifiabilityStudy.Data(1);
        var four = IdentifiabilityStudy.Data(4);
        var redundant = new SirWithRedundantNetwork(ModelOptions.Float64(seed: 1));
        IdentifiabilityRow[] rows =
        [
            IdentifiabilityStudy.Fit("β + network on S·I, one epidemic", new SirWithRedundantNetwork(ModelOptions.Float64(seed: 1)), one),
            IdentifiabilityStudy.Fit("β + network on S·I, four epidemics", new SirWithRedundantNetwork(ModelOptions.Float64(seed: 1)), four),
            IdentifiabilityStudy.Fit("β + network on S·I, penalty on its output", redundant, one, IdentifiabilityStudy.NetworkOutputPenalty(redundant, one, 1.0)),
            IdentifiabilityStudy.Fit("β + prevalence network (vanishes at I = 0), one epidemic", new SirWithPrevalenceNetwork(ModelOptions.Float64(seed: 1)), one),
            IdentifiabilityStudy.Fit("β only (no network), one epidemic", new SirMechanistic(ModelOptions.Float64(seed: 1)), one),
        ];
        foreach (var r in rows) output.WriteLine($"| {r.Setup} | {r.Beta:0.000} | {r.Loss:0.0e+00} |");
    }
}
