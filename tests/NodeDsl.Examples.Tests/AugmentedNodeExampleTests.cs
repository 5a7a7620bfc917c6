using AugmentedNode;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests;

/// <summary>A small run of the augmented-NODE example (Dupont et al. 2019) and checks of its data and loss.</summary>
public sealed class AugmentedNodeExampleTests
{
    [Fact]
    public void QuickRunAnode1SeparatesTheAnnuliAndBeatsThePlainNode()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-anode-" + Guid.NewGuid().ToString("N"));
        try
        {
            // 600 points, 12 epochs of 10 Adam steps: the plain NODE and the ANODE p = 1 only, to keep the test short.
            var result = AugmentedNodeExperiment.Run(AugmentedNodeOptions.Quick(dir) with { AugmentedSizes = [0, 1] });
            var node = result.Models[0];
            var anode = result.Models[1];

            // Measured (seed 1): ANODE p=1 accuracy 1.000, loss 0.611 → 0.105; NODE 0.578 and loss 0.332.
            // The bounds leave room for rounding differences across machines, not for a broken flow or gradient.
            Assert.True(anode.Final.Accuracy >= 0.95, $"ANODE p=1 accuracy {anode.Final.Accuracy}");
            Assert.True(anode.Final.Loss < anode.Epochs[0].Loss / 4, $"ANODE p=1 loss {anode.Epochs[0].Loss} → {anode.Final.Loss}");
            Assert.True(anode.Final.Loss < node.Final.Loss / 2, $"ANODE p=1 loss {anode.Final.Loss} vs NODE {node.Final.Loss}");
            // The augmented dimension starts at exactly zero (z(0) = (x, 0)) and is used by the learned flow.
            Assert.Equal(0.0, anode.InitialAugmentedMax);
            Assert.True(anode.FinalAugmentedMax > 0.1, $"max |a(1)| = {anode.FinalAugmentedMax}");
            // Dormand–Prince costs at least one step of 6 stages plus the first-step estimate per solve.
            Assert.All(result.Models.SelectMany(m => m.Epochs.Skip(1)), e => Assert.True(e.ForwardNfe >= 7, $"NFE {e.ForwardNfe}"));

            var lines = File.ReadAllLines(Path.Combine(dir, "results.csv"));
            Assert.Equal(ResultsCsv.Header, lines[0]);
            Assert.Equal(1 + 2 * 13, lines.Length);   // two models × (epoch 0 + 12 epochs)
            foreach (var png in new[] { "flows.png", "features.png", "loss.png", "nfe.png", "accuracy.png" })
                Assert.True(new FileInfo(Path.Combine(dir, png)).Length > 0, png);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DataFollowTheConcentricLabelling()
    {
        var data = ConcentricData.Sample(50, 100, seed: 3);
        Assert.Equal(150, data.Count);
        for (int i = 0; i < data.Count; i++)
            Assert.Equal(ConcentricData.Label(data.Points[i, 0], data.Points[i, 1]), data.Labels[i]);
        Assert.Equal(50, data.Labels.Count(l => l < 0));
    }

    [Fact]
    public void HuberLossIsQuadraticInsideDeltaAndLinearBeyond()
    {
        using var prediction = tensor(new[] { 0.5, 3.0 }, dtype: ScalarType.Float64);
        using var target = tensor(new[] { 0.0, 1.0 }, dtype: ScalarType.Float64);
        using var loss = HuberLoss.Mean(prediction, target);
        // (½·0.5² + (2 − ½)) / 2 = (0.125 + 1.5) / 2.
        Assert.Equal(0.8125, loss.item<double>(), 12);
    }
}
