using Xunit.Abstractions;
using static TorchSharp.torch;
using SolverRegistry = NodeDsl.Runtime.Solvers;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>Kvaerno5 on stiff problems: accuracy against tight references, step counts against an explicit method.</summary>
public class Kvaerno5StiffTests(ITestOutputHelper output)
{
    const double Mu = 1000;
    // One relaxation jump (near t ≈ 807 for μ = 1000) and the end in the following slow phase; the full [0, 3000]
    // (three jumps) behaves the same and only costs more test time.
    const double VdpEnd = 1000;

    static readonly Lazy<double[]> VdpReference = new(() =>
    {
        // rtol 1e-10 is 100× tighter than the tightest solve compared with it.
        using var scope = NewDisposeScope();
        return SolveVdp(new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 }).Ys[^1, 0].data<double>().ToArray();
    });

    // The accuracy is measured at the end time, which the driver lands on exactly: values between step ends come from
    // the third-order Hermite interpolant, whose error does not scale like the tolerance (see Esdirk's remarks).
    static OdeSolution SolveVdp(SolverOptions options, IOdeSolver? solver = null)
        => Ode.Solve(StiffProblems.VanDerPol(Mu), tensor(new double[,] { { 2.0, 0.0 } }, float64), tensor(new[] { 0, VdpEnd }, float64),
            solver ?? SolverRegistry.Kvaerno5, options);

    [Fact]
    public void VanDerPolMeetsTheToleranceAndTheErrorScalesWithIt()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(VdpReference.Value, float64);
        var errors = new List<double>();
        foreach (double tol in new[] { 1e-6, 1e-8 })
        {
            var solution = SolveVdp(new SolverOptions { RelativeTolerance = tol, AbsoluteTolerance = tol });
            // Error in units of the tolerance: max |y − ref| / (atol + rtol·|ref|) over the components.
            double error = solution.Ys[^1, 0].sub(reference).abs().div(reference.abs().mul(tol).add(tol)).max().item<double>();
            errors.Add(error * tol);
            output.WriteLine($"rtol {tol:E0}: {solution.Stats}, error {error:F2} tolerances");
            // Local error control bounds the global error by a small multiple of the tolerance here: errors made in
            // the jumps are damped on the contracting slow manifold. 10× is the usual allowance for global vs local.
            Assert.True(error < 10, $"rtol {tol}: error {error} tolerances");
        }
        // Tolerance proportionality: 100× tighter tolerance, at least 10× smaller error. (Measured ≈ 15×: at rtol 1e-6
        // the error is already well below the tolerance, 0.17 tol, because the slow manifold contracts errors.)
        Assert.True(errors[1] < errors[0] / 10, $"errors {errors[0]:E2} → {errors[1]:E2} do not scale with the tolerance");
    }

    [Fact]
    public void VanDerPolNeedsFarFewerStepsThanAnExplicitMethod()
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 };
        var implicitStats = SolveVdp(options).Stats;
        int implicitSteps = implicitStats.AcceptedSteps + implicitStats.RejectedSteps;
        // Dopri5's stability bound h ≲ 3.3/|λ| with |λ| ≈ 3μ in the slow phase forces ~1e5+ steps on this span; give it
        // 50× the implicit method's steps and it must run out.
        var ex = Assert.Throws<MaxStepsExceededException>(() => SolveVdp(options with { MaxSteps = 50 * implicitSteps }, SolverRegistry.Dopri5));
        Assert.True(ex.Time < VdpEnd / 10, $"dopri5 got to t = {ex.Time}"); // far from done, not just short of the end
        output.WriteLine($"kvaerno5: {implicitStats}; dopri5 stopped at t = {ex.Time:F1} of {VdpEnd} after {50 * implicitSteps} steps");
        Assert.True(implicitStats.JacobianEvaluations <= implicitStats.AcceptedSteps + implicitStats.RejectedSteps);
        Assert.True(implicitStats.Factorizations >= implicitStats.JacobianEvaluations);
    }

    [Fact]
    public void ProtheroRobinsonIsSolvedAccuratelyInFewSteps()
    {
        using var scope = NewDisposeScope();
        const double end = 10;
        var solution = Ode.Solve(StiffProblems.ProtheroRobinson(-1e6), ones(1, 1, float64), tensor(new[] { 0, end }, float64),
            SolverRegistry.Kvaerno5, new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 });
        double error = Math.Abs(solution.Ys[1, 0, 0].item<double>() - Math.Cos(end));
        output.WriteLine($"Prothero–Robinson λ = −1e6: {solution.Stats}, error at t = {end}: {error:E2}");
        // The steps follow the smooth solution cos t, not the eigenvalue −1e6 (an explicit method would need ~3e6 steps).
        Assert.True(solution.Stats.AcceptedSteps < 50, $"{solution.Stats.AcceptedSteps} steps");
        // Stiffly accurate and L-stable: the stiff component is damped exactly, so the end value is within the tolerance.
        Assert.True(error < 1e-6, $"error {error}");
    }

    [Fact]
    public void BatchedRowsEqualSingleSolvesWithPerTrajectoryNorms()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 2.0, 0.0 }, { -1.0, 0.5 }, { 0.5, -3.0 } }, float64);
        var ts = tensor(new[] { 0.0, 3.0, 10.0, 20.0 }, float64);
        var system = StiffProblems.VanDerPol(50);
        var options = new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-7, Norm = ErrorNorm.PerTrajectory };
        var batched = Ode.Solve(system, y0, ts, SolverRegistry.Kvaerno5, options).Ys;
        for (int r = 0; r < 3; r++)
        {
            var single = Ode.Solve(system, y0[r].unsqueeze(0), ts, SolverRegistry.Kvaerno5, options).Ys;
            // Each row gets its own steps, but the batched Newton iterates until the slowest row converges, so rows can
            // differ by the Newton tolerance (κ·tol ≈ 3e-4 × 1e-7) propagated: far below the tolerance itself.
            double diff = single[.., 0].sub(batched[.., r]).abs().max().item<double>();
            output.WriteLine($"row {r}: max difference {diff:E2}");
            Assert.True(diff < 1e-7, $"row {r} differs by {diff}");
        }
    }

    [Fact]
    public void BatchNormTakesTheSameValuesAsSingleSolvesWithinTolerance()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 2.0, 0.0 }, { -1.0, 0.5 } }, float64);
        var ts = tensor(new[] { 0.0, 3.0, 10.0 }, float64);
        var system = StiffProblems.VanDerPol(50);
        var options = new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-8 };
        var batched = Ode.Solve(system, y0, ts, SolverRegistry.Kvaerno5, options).Ys;
        for (int r = 0; r < 2; r++)
        {
            var single = Ode.Solve(system, y0[r].unsqueeze(0), ts, SolverRegistry.Kvaerno5, options).Ys;
            // One step size for the batch: different steps than alone, so agreement is at the tolerance level.
            Assert.True(single[.., 0].allclose(batched[.., r], rtol: 1e-6, atol: 1e-6), $"row {r} differs");
        }
    }
}
