using HamiltonianNN;

namespace NodeDsl.Examples.Tests;

/// <summary>
/// A small run of the Hamiltonian-NN example on the mass–spring (10 + 10 trajectories, 200 Adam steps, fewer rollouts):
/// the HNN, which conserves its learned energy by construction, must keep the true energy far better than the baseline.
/// </summary>
public sealed class HamiltonianNNExampleTests
{
    [Fact]
    public void QuickSpringRunGivesTheHnnAFarSmallerEnergyErrorThanTheBaseline()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-hnn-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The --quick preset on the spring only, without the implicit-midpoint drift run, to keep the test short.
            var r = HnnExperiment.Run(HnnOptions.Quick(dir) with { Tasks = ["spring"], DriftSolvers = ["leapfrog", "yoshida4", "dopri5"] }).Single();

            // Measured on this run: baseline energy MSE 3.2e-3, HNN 1.9e-4 (17×). A factor 4 leaves room for other
            // platforms' float32 rounding and still fails if the HNN were no better than an unstructured network.
            Assert.True(r.Hnn.EnergyMse * 4 < r.Baseline.EnergyMse, $"HNN energy MSE {r.Hnn.EnergyMse:E2}, baseline {r.Baseline.EnergyMse:E2}");
            // Both learn the field: the derivative MSE falls well below its initial value (noise σ = 0.1 on the inputs
            // puts a floor near 0.01 under it, so a factor 5 is what a short run can show).
            Assert.True(r.Hnn.TrainMse < r.Hnn.InitialLoss / 5, $"HNN loss {r.Hnn.InitialLoss:E2} → {r.Hnn.TrainMse:E2}");
            Assert.True(r.Baseline.TrainMse < r.Baseline.InitialLoss / 5, $"baseline loss {r.Baseline.InitialLoss:E2} → {r.Baseline.TrainMse:E2}");
            // On the true spring, leapfrog's energy error stays bounded at O(h²) while dopri5 runs at rtol 1e-6: the study ran.
            Assert.Contains(r.Solvers, s => s is { Dynamics: "true", Solver: "leapfrog" } && s.MaxEnergyError < 1e-2);
            Assert.True(File.Exists(Path.Combine(dir, "results.csv")));
            Assert.True(File.Exists(Path.Combine(dir, "spring_phase.png")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
