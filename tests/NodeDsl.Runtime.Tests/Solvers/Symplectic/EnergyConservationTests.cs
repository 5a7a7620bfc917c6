using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.Symplectic.HamiltonianProblems;

namespace NodeDsl.Runtime.Tests.Solvers.Symplectic;

/// <summary>
/// Long-time energy behaviour on the harmonic oscillator over 10⁴ steps (h = 0.1, hω = 0.2, about 320 periods):
/// a symplectic method's energy error oscillates without drift, a non-symplectic method of the same order drifts.
/// Same step size for both, so the comparison is per step, not per function evaluation.
/// </summary>
public sealed class EnergyConservationTests(ITestOutputHelper output)
{
    const double H = 0.1;
    const int Steps = 10_000;

    [Theory]
    [InlineData("leapfrog", "midpoint")]
    [InlineData("yoshida4", "rk4")]
    [InlineData("implicitmidpoint", "heun")]
    public void SymplecticEnergyErrorStaysBoundedWhileSameOrderRungeKuttaDrifts(string symplectic, string rungeKutta)
    {
        using var scope = NewDisposeScope();
        var y0 = State(1, 0.5);
        var (firstTenth, lastTenth) = EnergyErrors(symplectic, y0);
        var (rkFirst, rkLast) = EnergyErrors(rungeKutta, y0);
        output.WriteLine($"{symplectic}: max |ΔE| first 10% {firstTenth:E2}, last 10% {lastTenth:E2}; {rungeKutta}: {rkFirst:E2} → {rkLast:E2}");

        // No drift: the error in the last tenth is the same bounded oscillation as in the first (allowing 10% and 1e-12
        // for round-off accumulated over 10⁴ steps: implicit midpoint conserves this quadratic H exactly, so its error
        // is round-off alone; a drift like the Runge–Kutta one below would be 5× or more).
        Assert.True(lastTenth <= 1.1 * firstTenth + 1e-12, $"{symplectic}: energy error grew from {firstTenth:E2} to {lastTenth:E2}");
        // Drift: |R(iy)| ≠ 1 for explicit RK, so the error grows with t (midpoint/heun: ×e⁴ in energy; rk4: linearly).
        Assert.True(rkLast > 5 * rkFirst, $"{rungeKutta}: energy error {rkFirst:E2} → {rkLast:E2} did not drift");
        Assert.True(rkLast > 5 * lastTenth, $"{rungeKutta} ends at {rkLast:E2}, {symplectic} at {lastTenth:E2}");
    }

    static (double FirstTenth, double LastTenth) EnergyErrors(string name, Tensor y0)
    {
        var ys = EveryStep(NodeDsl.Runtime.Solvers.ByName(name), HamiltonianProblems.Oscillator, y0, H, Steps,
            new SolverOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 });
        var e0 = OscillatorEnergy(y0);
        var error = OscillatorEnergy(ys.squeeze(1)).sub(e0).abs().squeeze(1);
        int tenth = Steps / 10;
        return (error.narrow(0, 1, tenth).max().item<double>(), error.narrow(0, Steps + 1 - tenth, tenth).max().item<double>());
    }
}
