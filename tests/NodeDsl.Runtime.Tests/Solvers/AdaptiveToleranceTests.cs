using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.TestProblems;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>Adaptive methods meet their tolerance on standard nonlinear problems, and error follows the tolerance.</summary>
public class AdaptiveToleranceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Adaptive => ["bosh3", "dopri5", "tsit5", "dopri8"];

    static readonly SolverOptions Reference = new() { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 };

    // One tight DOP853 reference per problem, shared by the theory cases (kept out of every test's dispose scope).
    static readonly Lazy<Tensor> ArenstorfReference = new(() =>
        Ode.Solve(Arenstorf, ArenstorfY0(), Times(0, ArenstorfPeriod / 2, ArenstorfPeriod), NodeDsl.Runtime.Solvers.Dopri8, Reference)
            .Ys.DetachFromDisposeScope());

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void ArenstorfOrbitClosesWithinTolerance(string name)
    {
        using var scope = NewDisposeScope();
        var y0 = ArenstorfY0();
        var ts = Times(0, ArenstorfPeriod / 2, ArenstorfPeriod);
        var reference = ArenstorfReference.Value;
        // The reference itself must close the orbit: it is periodic (Hairer, Nørsett & Wanner I, II.0); 1e-6 is
        // what DOP853 at rtol 1e-12 achieves after the amplification near the moon.
        Assert.True(MaxAbs(reference[-1], y0) < 1e-6, "reference does not close the orbit");
        var sol = Ode.Solve(Arenstorf, y0, ts, NodeDsl.Runtime.Solvers.ByName(name), new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 });
        double error = MaxAbs(sol.Ys, reference);
        output.WriteLine($"{name}: Arenstorf error {error:E2} with rtol 1e-7, {sol.Stats}");
        // The orbit passes close to the moon, where errors are amplified ~1000×: 1e-3 is 1e4·rtol on |y| ≈ 1–2.
        Assert.True(error < 1e-3, $"{name}: error {error:E2}");
    }

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void LotkaVolterraMeetsTolerance(string name)
    {
        using var scope = NewDisposeScope();
        var y0 = torch.tensor(new double[] { 1, 1 }, [1, 2], ScalarType.Float64);
        var ts = Times(0, 2.5, 5, 7.5, 10);
        var reference = Ode.Solve(LotkaVolterra, y0, ts, NodeDsl.Runtime.Solvers.Dopri8, Reference);
        var sol = Ode.Solve(LotkaVolterra, y0, ts, NodeDsl.Runtime.Solvers.ByName(name), new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8 });
        double error = MaxAbs(sol.Ys, reference.Ys);
        output.WriteLine($"{name}: Lotka–Volterra error {error:E2} with rtol 1e-6, {sol.Stats}");
        // Global error over ~3 periods of a non-stiff orbit stays within ~100·rtol·|y| (|y| ≤ 5).
        Assert.True(error < 5e-4, $"{name}: error {error:E2}");
    }

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void ErrorShrinksWithTolerance(string name)
    {
        using var scope = NewDisposeScope();
        var y0 = torch.tensor(new double[] { 1, 1 }, [1, 2], ScalarType.Float64);
        var ts = Times(0, 10);
        var reference = Ode.Solve(LotkaVolterra, y0, ts, NodeDsl.Runtime.Solvers.Dopri8, Reference).Ys[-1];
        double Error(double rtol) => MaxAbs(Ode.Solve(LotkaVolterra, y0, ts, NodeDsl.Runtime.Solvers.ByName(name),
            new SolverOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol * 1e-2 }).Ys[-1], reference);
        double loose = Error(1e-5), tight = Error(1e-7);
        output.WriteLine($"{name}: error {loose:E2} at rtol 1e-5, {tight:E2} at rtol 1e-7, ratio {loose / tight:F1}");
        // Tolerance proportionality: 100× tighter tolerances give roughly 100× smaller error. Error-per-step control
        // with local extrapolation gives error ∝ tol^(p/(q+1)) (p/(q+1) = 1 for q = p − 1), and the constant varies
        // with the step sequence, so accept a factor 10 either side.
        Assert.InRange(loose / tight, 10, 1000);
    }

    [Fact]
    public void PerComponentTolerancesEqualToTheScalarsChangeNothing()
    {
        using var scope = NewDisposeScope();
        var y0 = torch.tensor(new double[] { 1, 1 }, [1, 2], ScalarType.Float64);
        var scalar = Ode.Solve(LotkaVolterra, y0, Times(0, 3), NodeDsl.Runtime.Solvers.Dopri5);
        var vector = Ode.Solve(LotkaVolterra, y0, Times(0, 3), NodeDsl.Runtime.Solvers.Dopri5,
            new SolverOptions { RelativeTolerances = [1e-6, 1e-6], AbsoluteTolerances = [1e-8, 1e-8] });
        Assert.Equal(scalar.Stats, vector.Stats);
        Assert.Equal(0, MaxAbs(scalar.Ys, vector.Ys)); // same weights, same arithmetic
        // A much tighter tolerance on one component alone forces more steps.
        var tight = Ode.Solve(LotkaVolterra, y0, Times(0, 3), NodeDsl.Runtime.Solvers.Dopri5,
            new SolverOptions { RelativeTolerances = [1e-10, 1e-6], AbsoluteTolerances = [1e-12, 1e-8] });
        Assert.True(tight.Stats.AcceptedSteps > 2 * scalar.Stats.AcceptedSteps);
    }
}
