using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests;

/// <summary>Generated models integrate with the runtime solvers.</summary>
public class EndToEndSolveTests
{
    [Fact]
    public void KnownPendulumConservesEnergyToSolverTolerance()
    {
        using var model = new KnownPendulum(ModelOptions.Float64());
        using var y0 = torch.tensor(new double[] { 1.0, 0.0, 0.3, 1.5, -2.0, 0.5 }, new long[] { 3, 2 }, ScalarType.Float64);
        using var ts = torch.linspace(0, 5, 11, ScalarType.Float64);
        using var _ = torch.no_grad();
        var solution = Ode.Solve(model, y0, ts, Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 });
        using var e0 = model.Energies(ts[0], y0);
        for (int i = 1; i < ts.shape[0]; i++)
        {
            using var e = model.Energies(ts[i], solution.Ys[i]);
            // Dopri5 is not symplectic: energy drifts by the accumulated local error, ~1e-10 per step over ~10² steps
            // for energies of order 10; 1e-7 bounds that with margin while catching a wrong sign or factor in the rates.
            var drift = (e - e0).abs().max().item<double>();
            Assert.True(drift < 1e-7, $"energy drift {drift:E2} at t = {ts[i].item<double>()}");
        }
    }

    [Fact]
    public void NeuralUdeSolvesWithAnAdaptiveSolver()
    {
        using var model = new LotkaVolterraUde(ModelOptions.Float64());
        using var y0 = torch.tensor(new double[] { 1, 0.5, 2, 1 }, new long[] { 2, 2 }, ScalarType.Float64);
        using var ts = torch.linspace(0, 1, 5, ScalarType.Float64);
        using var _ = torch.no_grad();
        var solution = Ode.Solve(model, y0, ts, Solvers.Dopri5);
        Assert.Equal(new long[] { 5, 2, 2 }, solution.Ys.shape);
        Assert.True(solution.Ys.isfinite().all().item<bool>());
    }

    [Fact]
    public void DefaultFloat32ModelSolves()
    {
        using var model = new LotkaVolterraUde();
        using var y0 = torch.tensor(new float[] { 1f, 0.5f, 2f, 1f }, new long[] { 2, 2 });
        using var ts = torch.linspace(0, 1, 5);
        using var _ = torch.no_grad();
        var solution = Ode.Solve(model, y0, ts, Solvers.Dopri5);
        Assert.Equal(ScalarType.Float32, solution.Ys.dtype);
        Assert.True(solution.Ys.isfinite().all().item<bool>());
    }

    [Fact]
    public void AugmentedModelSolvesFromAugmentedInitialState()
    {
        using var model = new AugmentedSpiral(ModelOptions.Float64(2));
        using var observed = torch.tensor(new double[] { 1, 0, 0, 1 }, new long[] { 2, 2 }, ScalarType.Float64);
        using var y0 = model.Augment(observed);
        using var ts = torch.linspace(0, 1, 4, ScalarType.Float64);
        using var _ = torch.no_grad();
        var solution = Ode.Solve(model, y0, ts, Solvers.Rk4, new SolverOptions { StepSize = 0.05 });
        using var trajectory = model.Observed(solution.Ys);
        Assert.Equal(new long[] { 4, 2, 2 }, trajectory.shape);
    }
}
