using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.TestProblems;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>Empirical convergence order of every method: slope of log(global error) against log(h) over four steps.</summary>
public class ConvergenceOrderTests(ITestOutputHelper output)
{
    const double End = 2;

    // Step counts on [0, 2] chosen per order so errors stay well above float64 round-off (≥ 1e-12) and in the asymptotic range.
    static int[] StepCounts(string name, int order) => (name, order) switch
    {
        // Tsit5 minimises its principal error coefficient (Tsitouras 2011): its z⁶ coefficient misses 1/720 by only
        // 4e-5 while the z⁷ term misses by 2e-4, so the fifth-order term dominates only for |hλ| < 0.1.
        ("tsit5", _) => [48, 64, 96, 128],
        (_, <= 2) => [16, 32, 64, 128],
        (_, <= 4) => [8, 16, 32, 64],
        (_, <= 5) => [8, 12, 16, 24],
        _ => [6, 8, 10, 12],
    };

    // The explicit methods of this suite (implicit and multistep methods have their own tests).
    public static TheoryData<string> Methods => ["euler", "midpoint", "heun", "rk4", "rk38", "bosh3", "dopri5", "tsit5", "dopri8"];

    [Theory]
    [MemberData(nameof(Methods))]
    public void LinearSystemConvergesAtNominalOrder(string name)
    {
        using var scope = NewDisposeScope();
        var y0 = LinearY0();
        var exact = LinearExact(y0, 0, End);
        double slope = MeasureOrder(name, Linear(), y0, exact);
        // ±0.3 around the nominal order: four step sizes in the asymptotic range fit the slope to about ±0.1.
        Assert.InRange(slope, NodeDsl.Runtime.Solvers.ByName(name).Order - 0.3, NodeDsl.Runtime.Solvers.ByName(name).Order + 0.3);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void HarmonicOscillatorConvergesAtNominalOrder(string name)
    {
        using var scope = NewDisposeScope();
        var y0 = torch.tensor(new double[] { 1, 0.5 }, [1, 2], ScalarType.Float64);
        var exact = torch.tensor(OscillatorExact(1, 0.5, End), [1, 2], ScalarType.Float64);
        double slope = MeasureOrder(name, Oscillator, y0, exact);
        // Same tolerance as above.
        Assert.InRange(slope, NodeDsl.Runtime.Solvers.ByName(name).Order - 0.3, NodeDsl.Runtime.Solvers.ByName(name).Order + 0.3);
    }

    double MeasureOrder(string name, OdeFunc f, Tensor y0, Tensor exact)
    {
        var solver = NodeDsl.Runtime.Solvers.ByName(name);
        var fixedStep = solver.IsAdaptive ? AsFixedStep(solver) : solver;
        var counts = StepCounts(name, solver.Order);
        var h = counts.Select(n => End / n).ToArray();
        var errors = h.Select(step =>
        {
            var sol = Ode.Solve(f, y0, Times(0, End), fixedStep, new SolverOptions { StepSize = step });
            return MaxAbs(sol.Ys[-1], exact);
        }).ToArray();
        double slope = Slope(h, errors);
        output.WriteLine($"{name}: order {slope:F2} (nominal {solver.Order}); errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        return slope;
    }
}
