using AnchoredEnsembles;

namespace NodeDsl.Examples.Tests;

/// <summary>A small run of examples/AnchoredEnsembles (one prior, 150 epochs), asserting on the uncertainty it learned.</summary>
public sealed class AnchoredEnsemblesTests
{
    const double Prior = 0.3;

    static readonly Lazy<ExperimentResult> Small = new(() => AnchoredEnsembleExperiment.Run(new ExperimentOptions
    {
        Epochs = 150,
        BatchSize = 8,
        EnsembleSizes = [1, 5],
        PriorVariances = [Prior],
        PlottedPriorVariance = Prior,
        Seed = 1,
    }));

    [Fact]
    public void FiveAnchoredMembersCoverMostHeldOutPointsInsideTheWindow()
    {
        var coverage = Small.Value.Row(Prior, 5).Interpolation.Coverage;
        // Measured 96% / 86% (ideal 95%); a collapsed ensemble (σ = σ_ε only) scores about 60% here.
        Assert.All(coverage, c => Assert.True(c >= 0.7, $"interpolation coverage {string.Join(", ", coverage)}"));
    }

    [Fact]
    public void TheEnsembleCoversMoreThanASingleMember()
    {
        var r = Small.Value;
        double single = r.Row(Prior, 1).Interpolation.Coverage.Concat(r.Row(Prior, 1).Extrapolation.Coverage).Average();
        double five = r.Row(Prior, 5).Interpolation.Coverage.Concat(r.Row(Prior, 5).Extrapolation.Coverage).Average();
        Assert.True(five > single + 0.1, $"M = 1: {single}, M = 5: {five}");
    }
}
