using TorchSharp;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.Symplectic.HamiltonianProblems;

namespace NodeDsl.Runtime.Tests.Solvers.Symplectic;

/// <summary>
/// Time reversibility (symmetry, Φ_{−h} ∘ Φ_h = id): solve forward 200 steps on the pendulum, then backwards from
/// the end with the same step; a symmetric method returns to y0 up to round-off, a non-symmetric one does not.
/// </summary>
public sealed class ReversibilityTests
{
    const double H = 0.05;
    const int Steps = 200;

    [Theory]
    [InlineData("leapfrog", 1e-12)]
    [InlineData("yoshida4", 1e-12)]
    // Symmetric up to the Newton residual; with rtol 1e-12 that residual is ~1e-15 per step.
    [InlineData("implicitmidpoint", 1e-11)]
    public void SymmetricMethodsRetraceTheirSteps(string name, double bound)
    {
        using var scope = NewDisposeScope();
        // Bounds: 200 + 200 steps of float64 round-off on |y| ~ 1 stay near 1e-13.
        Assert.True(RoundTripError(name) < bound, $"{name}: round-trip error {RoundTripError(name):E2}");
    }

    [Fact]
    public void NonSymmetricRungeKuttaDoesNot()
    {
        using var scope = NewDisposeScope();
        // Shows the test above can fail: RK4's local error (~h⁵ = 3e-7 per step) does not cancel on the way back.
        Assert.True(RoundTripError("rk4") > 1e-9, $"rk4 round trip {RoundTripError("rk4"):E2}");
    }

    static double RoundTripError(string name)
    {
        var solver = NodeDsl.Runtime.Solvers.ByName(name);
        var options = new SolverOptions { StepSize = H, RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 };
        var y0 = State(1.2, 0.3);
        double end = H * Steps;
        var y1 = Ode.Solve(Pendulum, y0, torch.tensor(new[] { 0.0, end }, ScalarType.Float64), solver, options).Ys[-1];
        var back = Ode.Solve(Pendulum, y1, torch.tensor(new[] { end, 0.0 }, ScalarType.Float64), solver, options).Ys[-1];
        return back.sub(y0).abs().max().item<double>();
    }
}
