using Xunit.Abstractions;
using static TorchSharp.torch;
using SolverRegistry = NodeDsl.Runtime.Solvers;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// The stiff methods with their own dense output on stiff problems: accuracy against tight references, tolerance
/// proportionality, Jacobian and factorisation reuse, batches and float32.
/// </summary>
public class StiffSolverTests(ITestOutputHelper output)
{
    public static TheoryData<string> Methods => ["radau5", "rodas5p"];

    const double Mu = 1000;
    // One relaxation jump (near t ≈ 807 for μ = 1000) and the end in the following slow phase.
    const double VdpEnd = 1000;

    // rtol 1e-10 is 1000× tighter than the tightest solve compared with it (whose error is ~0.02 of its tolerance).
    static readonly Lazy<double[]> VdpReference = new(() =>
    {
        using var scope = NewDisposeScope();
        return SolveVdp(SolverRegistry.Radau5, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 }).Ys[^1, 0].data<double>().ToArray();
    });

    static OdeSolution SolveVdp(IOdeSolver solver, SolverOptions options, double[]? times = null)
        => Ode.Solve(StiffProblems.VanDerPol(Mu), tensor(new double[,] { { 2.0, 0.0 } }, float64), tensor(times ?? [0, VdpEnd], float64), solver, options);

    [Theory]
    [MemberData(nameof(Methods))]
    public void VanDerPolMeetsTheToleranceAndTheErrorScalesWithIt(string name)
    {
        using var scope = NewDisposeScope();
        var reference = tensor(VdpReference.Value, float64);
        var errors = new List<double>();
        foreach (double tol in new[] { 1e-5, 1e-7 })
        {
            var solution = SolveVdp(SolverRegistry.ByName(name), new SolverOptions { RelativeTolerance = tol, AbsoluteTolerance = tol });
            // Error in units of the tolerance: max |y − ref| / (atol + rtol·|ref|) over the components.
            double error = solution.Ys[^1, 0].sub(reference).abs().div(reference.abs().mul(tol).add(tol)).max().item<double>();
            errors.Add(error * tol);
            output.WriteLine($"{name} rtol {tol:E0}: {solution.Stats}, error {error:F2} tolerances");
            // Errors made in the jump are damped on the contracting slow manifold: 10× is the usual global-vs-local allowance.
            Assert.True(error < 10, $"rtol {tol}: error {error} tolerances");
        }
        // Tolerance proportionality: 100× tighter tolerance, at least 10× smaller error.
        Assert.True(errors[1] < errors[0] / 10, $"errors {errors[0]:E2} → {errors[1]:E2} do not scale with the tolerance");
    }

    [Fact]
    public void JacobiansAndFactorizationsAreReusedAcrossSteps()
    {
        const string name = "radau5";
        using var scope = NewDisposeScope();
        var stats = SolveVdp(SolverRegistry.ByName(name), new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 }).Stats;
        int attempts = stats.AcceptedSteps + stats.RejectedSteps;
        output.WriteLine($"{name}: {stats}");
        // Kept while Newton converges fast: far fewer Jacobians than steps (measured about one per 4 steps on VdP).
        Assert.True(stats.JacobianEvaluations < attempts / 2, $"{stats.JacobianEvaluations} Jacobians for {attempts} attempts");
        // Two factorisations (real and complex) per refactorisation; kept while h changes by < 20 %.
        Assert.True(stats.Factorizations / 2 < attempts, $"{stats.Factorizations / 2} refactorisations for {attempts} attempts");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ProtheroRobinsonIsSolvedAccuratelyInFewSteps(string name)
    {
        using var scope = NewDisposeScope();
        const double end = 10;
        var solution = Ode.Solve(StiffProblems.ProtheroRobinson(-1e6), ones(1, 1, float64), tensor(new[] { 0, 3.3, end }, float64),
            SolverRegistry.ByName(name), new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 });
        double endError = Math.Abs(solution.Ys[2, 0, 0].item<double>() - Math.Cos(end));
        double denseError = Math.Abs(solution.Ys[1, 0, 0].item<double>() - Math.Cos(3.3));
        output.WriteLine($"{name} Prothero–Robinson λ = −1e6: {solution.Stats}, error at t = {end}: {endError:E2}, between steps at 3.3: {denseError:E2}");
        // The steps follow the smooth solution cos t, not the eigenvalue −1e6 (an explicit method would need ~3e6 steps).
        Assert.True(solution.Stats.AcceptedSteps < 60, $"{solution.Stats.AcceptedSteps} steps");
        Assert.True(endError < 1e-6, $"error {endError}");
        // Between steps the method's own interpolant is used: for Radau5 the collocation polynomial, whose error on this
        // problem is O(h⁴) with h ≈ 0.7 (stage order 3; measured 6.4e-4). Kvaerno5's cubic Hermite interpolant through
        // f(y1), which carries y1's error times λ = −1e6, gave 2e-2 here (docs/solvers.md).
        Assert.True(denseError < 2e-3, $"dense error {denseError}");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void BatchedRowsEqualSingleSolvesWithPerTrajectoryNorms(string name)
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new double[,] { { 2.0, 0.0 }, { -1.0, 0.5 }, { 0.5, -3.0 } }, float64);
        var ts = tensor(new[] { 0.0, 3.0, 10.0, 20.0 }, float64);
        var system = StiffProblems.VanDerPol(50);
        var options = new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-7, Norm = ErrorNorm.PerTrajectory };
        var batched = Ode.Solve(system, y0, ts, SolverRegistry.ByName(name), options).Ys;
        for (int r = 0; r < 3; r++)
        {
            var single = Ode.Solve(system, y0[r].unsqueeze(0), ts, SolverRegistry.ByName(name), options).Ys;
            // Own steps per row, but the batched Newton iterates until the slowest row converges: rows differ by the
            // Newton tolerance propagated, far below the tolerance itself.
            double diff = single[.., 0].sub(batched[.., r]).abs().max().item<double>();
            output.WriteLine($"{name} row {r}: max difference {diff:E2}");
            Assert.True(diff < 1e-6, $"row {r} differs by {diff}");
        }
    }

    [Fact]
    public void HostAndTensorStageAlgebraTakeTheSameSteps()
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 };
        double[] times = [0, 300, 807.5, VdpEnd];
        var host = SolveVdp(new OneStepSolver(new Radau5(hostAlgebra: true)), options, times);
        var onTensors = SolveVdp(new OneStepSolver(new Radau5(hostAlgebra: false)), options, times);
        double diff = host.Ys.sub(onTensors.Ys).abs().max().item<double>();
        output.WriteLine($"host {host.Stats}; tensors {onTensors.Stats}; max difference {diff:E2}");
        // Same algorithm, different summation order: identical decisions, values equal to round-off amplified by the jump.
        Assert.Equal(host.Stats, onTensors.Stats);
        Assert.True(diff < 1e-9, $"difference {diff}");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Float32SolveAgreesWithFloat64(string name)
    {
        using var scope = NewDisposeScope();
        var system = StiffProblems.VanDerPol(50);
        var y0 = tensor(new double[,] { { 2.0, 0.0 }, { 0.5, -1.0 } }, float64);
        var ts = tensor(new[] { 0.0, 5.0, 20.0 }, float64);
        var options = new SolverOptions { RelativeTolerance = 1e-4, AbsoluteTolerance = 1e-5 };
        var single = Ode.Solve(system, y0.to(float32), ts.to(float32), SolverRegistry.ByName(name), options);
        var reference = Ode.Solve(system, y0, ts, SolverRegistry.ByName(name), options with { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-9 });
        Assert.Equal(ScalarType.Float32, single.Ys.dtype);
        double error = single.Ys.to(float64).sub(reference.Ys).abs().max().item<double>();
        output.WriteLine($"{name} float32: {single.Stats}, max error {error:E2}");
        // rtol 1e-4 on |y| ≤ 2 plus float32 round-off over a few hundred steps: a few 1e-4 at most.
        Assert.True(error < 1e-3, $"error {error}");
    }
}
