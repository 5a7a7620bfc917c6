using NodeDsl.Runtime;
using Xunit.Abstractions;

namespace NodeDsl.Examples.Tests.Docs;

/// <summary>
/// docs/training.md, "Identifiability", checked by running it: β next to a network on the same term is not identified, and
/// more epidemics do not change that; removing the redundancy, structuring the network or penalising its output does.
/// The table in the docs is this test's output.
/// </summary>
public sealed class IdentifiabilityTests(ITestOutputHelper output)
{
    const double TrueBeta = 0.6;

    [Fact]
    public void TheDocumentedModelAndPenaltyAreTheOnesTested()
    {
        DocSnippets.AssertSame("docs/training.md", "tests/NodeDsl.Examples.Tests/Docs/SirModels.cs", "sir-redundant");
        DocSnippets.AssertSame("docs/training.md", "tests/NodeDsl.Examples.Tests/Docs/IdentifiabilityStudy.cs", "sir-penalty");
    }

    [Fact]
    public void BetaIsIdentifiedOnlyWhenTheNetworkCannotStandInForIt()
    {
        var one = IdentifiabilityStudy.Data(1);
        var four = IdentifiabilityStudy.Data(4);
        var penalised = new SirWithRedundantNetwork(ModelOptions.Float64(seed: 1));
        var redundantOne = IdentifiabilityStudy.Fit("β + S·I·network, one epidemic", new SirWithRedundantNetwork(ModelOptions.Float64(seed: 1)), one);
        var redundantFour = IdentifiabilityStudy.Fit("β + S·I·network, four epidemics", new SirWithRedundantNetwork(ModelOptions.Float64(seed: 1)), four);
        var mechanistic = IdentifiabilityStudy.Fit("β alone (no network)", new SirMechanistic(ModelOptions.Float64(seed: 1)), one);
        var structured = IdentifiabilityStudy.Fit("β + prevalence network, vanishing at I = 0", new SirWithPrevalenceNetwork(ModelOptions.Float64(seed: 1)), one);
        var penalty = IdentifiabilityStudy.Fit("β + S·I·network, penalty λ = 100 on its output", penalised, one,
            IdentifiabilityStudy.NetworkOutputPenalty(penalised, one, lambda: 100));
        foreach (var r in new[] { redundantOne, redundantFour, mechanistic, structured, penalty })
            output.WriteLine($"| {r.Setup} | {r.Beta:0.000} | {r.Loss:0.0e+00} |");

        // Measured (seed 1, 200 Adam steps from β = 0.3): 0.364 and 0.362 with data losses 1.2e-6 — the data are fitted, β is
        // not found. 0.15 away from the truth separates "stuck near the guess" from "identified" whatever the seed (seed 2: 0.329).
        Assert.All(new[] { redundantOne, redundantFour }, r =>
        {
            Assert.True(Math.Abs(r.Beta - TrueBeta) > 0.15, $"{r.Setup}: β = {r.Beta} should not be identified");
            Assert.True(r.Loss < 1e-5, $"{r.Setup}: loss {r.Loss} — the redundant model must still fit the data");
        });
        // Noise-free data and the true model class: 0.600 (loss 7e-11); 0.005 leaves room for the RK4 (h = 1) bias only.
        Assert.True(Math.Abs(mechanistic.Beta - TrueBeta) < 0.005, $"mechanistic β = {mechanistic.Beta}");
        // Measured 0.585 (structured) and 0.598 (penalty); both fail by far if the network can absorb the rate (≈ 0.36).
        Assert.True(Math.Abs(structured.Beta - TrueBeta) < 0.03, $"structured β = {structured.Beta}");
        Assert.True(Math.Abs(penalty.Beta - TrueBeta) < 0.02, $"penalised β = {penalty.Beta}");
    }
}
