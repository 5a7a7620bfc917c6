using Spiral;

namespace NodeDsl.Examples.Tests;

/// <summary>A small run of the spiral example: the training loss must fall and the outputs must be written.</summary>
public sealed class SpiralExampleTests
{
    [Fact]
    public void QuickRunHalvesTheLossAndWritesResults()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-spiral-" + Guid.NewGuid().ToString("N"));
        try
        {
            var metrics = SpiralTraining.Run(SpiralOptions.Quick(dir));

            Assert.True(metrics.FinalLoss < metrics.InitialLoss / 2, $"loss {metrics.InitialLoss} → {metrics.FinalLoss} did not halve");
            Assert.True(double.IsFinite(metrics.TestL1));
            Assert.True(metrics.TrainingNfe > 0);
            foreach (var file in new[] { "results.csv", "fit_trajectories.png", "fit_phase.png", "fit_vector_field.png", "fit_loss.png" })
                Assert.True(File.Exists(Path.Combine(dir, file)), file);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
