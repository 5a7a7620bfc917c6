using SecondOrder;

namespace NodeDsl.Examples.Tests;

/// <summary>
/// The --quick run of the second-order example (8 + 4 trajectories, 40 Adam steps per model): both models train, the
/// SONODE's latent velocity starts from the data estimate, and the outputs are written.
/// </summary>
public sealed class SecondOrderExampleTests
{
    [Fact]
    public void QuickRunTrainsBothModelsWithEqualParameterCounts()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-second-order-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = SecondOrderExperiment.Run(SecondOrderOptions.Quick(dir));
            var sonode = r.Models.Single(m => m.Model == "SONODE");
            var anode = r.Models.Single(m => m.Model == "ANODE");
            // 3 → 24 → 1 and 3 → 20 → 2 perceptrons: 121 and 122 parameters, the comparison's premise.
            Assert.Equal(121, sonode.Parameters);
            Assert.Equal(122, anode.Parameters);
            foreach (var m in r.Models)
            {
                // 40 Adam steps at lr 0.02 lower the position MSE of either model by more than 10 %; a model whose
                // gradient did not reach its weights would stay at its initial loss.
                Assert.True(m.Loss[^1] < 0.9 * m.Loss[0], $"{m.Model}: loss {m.Loss[0]:E2} → {m.Loss[^1]:E2}");
                Assert.True(m.FunctionEvaluations > 0 && double.IsFinite(m.ExtrapolationMse));
            }
            // The latent velocity starts at the three-point estimate from noisy positions (σ = 0.01, h = 0.2): within
            // ~0.1 of the true x'(0), where a zero start would be off by |x'(0)| (up to 1).
            Assert.True(Math.Abs(sonode.Velocity[0] - r.TrueVelocity[0]) < 0.15, $"v(0) {sonode.Velocity[0]} vs true {r.TrueVelocity[0]}");
            foreach (var file in new[] { "results.csv", "trajectories.png", "loss.png", "latent_velocity.png" })
                Assert.True(File.Exists(Path.Combine(dir, file)), file);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
