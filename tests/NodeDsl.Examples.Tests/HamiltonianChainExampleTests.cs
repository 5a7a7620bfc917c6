using HamiltonianChain;

namespace NodeDsl.Examples.Tests;

/// <summary>
/// A small run of the Hamiltonian-chain example (--quick, shorter rollouts): the Vec and scalar-pair formulations are the
/// same model, the fit moves k and β toward the truth, and the symplectic solvers keep the fitted model's energy.
/// </summary>
public sealed class HamiltonianChainExampleTests
{
    [Fact]
    public void QuickRunFitsBothFormulationsIdenticallyAndKeepsTheEnergyWithSymplecticSolvers()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-chain-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = ChainExperiment.Run(ChainOptions.Quick(dir) with { RolloutEnd = 20, TimedCalls = 20, RolloutSolvers = ["leapfrog", "yoshida4", "rk4"] });

            // Same function: the rates of the three formulations differ by rounding only (a few ulps of O(1) values).
            Assert.True(r.InitialRateDifference < 1e-12, $"rates differ by {r.InitialRateDifference:E2}");
            // Same data, seed, solver and optimizer, and the same rates up to rounding: the fits agree far below the
            // parameters' change (measured: equal to all printed digits).
            Assert.True(System.Math.Abs(r.Vec.K - r.Scalar.K) < 1e-8 && System.Math.Abs(r.Vec.Beta - r.Scalar.Beta) < 1e-8,
                $"vec k = {r.Vec.K}, β = {r.Vec.Beta}; scalar k = {r.Scalar.K}, β = {r.Scalar.Beta}");
            Assert.True(System.Math.Abs(r.Vec.K - r.VecOde.K) < 1e-8 && System.Math.Abs(r.Vec.Beta - r.VecOde.Beta) < 1e-8,
                $"vec k = {r.Vec.K}, β = {r.Vec.Beta}; vec ODE k = {r.VecOde.K}, β = {r.VecOde.Beta}");
            // The short fit learns: loss down by more than 10× (measured 18×) and both parameters closer to the truth
            // (k 0.5 → 1.39, true 1; β 0.5 → 1.54, true 2).
            Assert.True(r.Vec.FinalLoss < r.Vec.InitialLoss / 10, $"loss {r.Vec.InitialLoss:E2} → {r.Vec.FinalLoss:E2}");
            Assert.True(System.Math.Abs(r.Vec.Beta - r.TrueBeta) < System.Math.Abs(0.5 - r.TrueBeta), $"β = {r.Vec.Beta}");
            Assert.True(System.Math.Abs(r.Vec.K - r.TrueK) < System.Math.Abs(0.5 - r.TrueK) + 0.5, $"k = {r.Vec.K}");
            // Leapfrog's energy error is bounded at O((hω)²) ≈ 1e-3 (measured 1.3e-3 at h = 0.05); Yoshida's fourth order
            // keeps it two orders lower (measured 5e-6).
            var leapfrog = r.Rollouts.Single(s => s.Solver == "leapfrog");
            var yoshida = r.Rollouts.Single(s => s.Solver == "yoshida4");
            Assert.True(leapfrog.MaxEnergyDrift < 1e-2, $"leapfrog drift {leapfrog.MaxEnergyDrift:E2}");
            Assert.True(yoshida.MaxEnergyDrift < leapfrog.MaxEnergyDrift / 10, $"yoshida4 {yoshida.MaxEnergyDrift:E2} vs leapfrog {leapfrog.MaxEnergyDrift:E2}");
            foreach (var file in new[] { "results.csv", "rollouts.csv", "loss.png", "first_mass.png", "energy_drift.png" })
                Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} missing");
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
