using NodeDsl.Runtime.Tableaus;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// Empirical convergence order of the Kværnø methods run with fixed steps on linear problems whose exact solution is
/// a matrix exponential. Linear constant-coefficient problems show no order reduction, so the nominal order must appear.
/// </summary>
public class EsdirkConvergenceTests(ITestOutputHelper output)
{
    // The issue's acceptance band for every method's measured order.
    const double OrderTolerance = 0.3;
    // Newton is exact after one iteration on linear problems; tight tolerances only make its stopping test strict, so
    // Newton error stays far below the smallest discretisation error measured here (~1e-12).
    static readonly SolverOptions Tight = new() { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-13 };

    public static TheoryData<string, int> Methods => new() { { "kvaerno3", 3 }, { "kvaerno5", 5 } };

    static IOdeSolver FixedStep(string name)
        => new OneStepSolver(new Esdirk(name, name == "kvaerno5" ? Kvaerno5.Tableau : Kvaerno3.Tableau, adaptive: false));

    [Theory]
    [MemberData(nameof(Methods))]
    public void DampedOscillatorConvergesWithTheNominalOrder(string name, int order)
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[,] { { -0.1, 2.0 }, { -2.0, -0.1 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 0.5 }, { -0.3, 2.0 } }, float64);
        const double tEnd = 2.0;
        var exact = StiffProblems.LinearSolution(a, y0, tensor(new[] { tEnd }, float64))[0];
        // Step counts keep the finest error (order 5: ~1e-11) well above round-off accumulation (~1e-14).
        int[] steps = order == 5 ? [8, 12, 16, 24, 32] : [16, 32, 64, 128];
        var (slope, errors) = ConvergenceOrder.Measure(FixedStep(name), StiffProblems.Linear(a), y0, tEnd, exact, steps, Tight);
        output.WriteLine($"{name} damped oscillator: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, order - OrderTolerance, order + OrderTolerance);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void MildlyStiffLinearSystemConvergesWithTheNominalOrder(string name, int order)
    {
        using var scope = NewDisposeScope();
        // Eigenvalues −1, −10 and −40 (upper triangular): h·λ runs from −2.5 down to −0.4 (Kvaerno5) over the step
        // counts, where explicit methods of this order are barely stable; finer than that the slope is asymptotic.
        var a = tensor(new double[,] { { -1, 3, 0 }, { 0, -10, 5 }, { 0, 0, -40 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 1.0, 1.0 } }, float64);
        const double tEnd = 1.0;
        var exact = StiffProblems.LinearSolution(a, y0, tensor(new[] { tEnd }, float64))[0];
        // Finest errors: ~3e-12 (order 5) and ~1e-10 (order 3), still far above round-off.
        int[] steps = order == 5 ? [16, 24, 32, 48, 64, 96] : [32, 64, 128, 256];
        var (slope, errors) = ConvergenceOrder.Measure(FixedStep(name), StiffProblems.Linear(a), y0, tEnd, exact, steps, Tight);
        output.WriteLine($"{name} stiff linear: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, order - OrderTolerance, order + OrderTolerance);
    }
}
