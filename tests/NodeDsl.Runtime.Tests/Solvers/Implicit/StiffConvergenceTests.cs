using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// Empirical convergence order of the Radau and Rosenbrock methods with fixed steps, at step ends and between them
/// (their own dense output), on linear problems whose exact solution is a matrix exponential (no order reduction there).
/// </summary>
public class StiffConvergenceTests(ITestOutputHelper output)
{
    // The issue's acceptance band for every method's measured order.
    const double OrderTolerance = 0.3;
    // Linear problems: Newton is exact after one iteration; a tight tolerance only makes its stopping test strict.
    static readonly SolverOptions Tight = new() { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-13 };

    public static TheoryData<string, int> Methods => new() { { "radau5", 5 }, { "rodas5p", 5 } };

    // On linear constant-coefficient problems only the stability function R(z) matters: Radau IIA's is the (2, 3) Padé
    // approximation of eᶻ (order 5); Rodas5P's matches eᶻ to O(z⁷), so it shows order 6 there (measured 6.00).
    public static TheoryData<string, int> LinearOrders => new() { { "radau5", 5 }, { "rodas5p", 6 } };

    internal static IOdeSolver FixedStep(string name) => name switch
    {
        "radau5" => new OneStepSolver(new Radau5(adaptive: false)),
        "rodas5p" => new OneStepSolver(new Rosenbrock("rodas5p", Tableaus.Rodas5P.Tableau, adaptive: false)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(LinearOrders))]
    public void DampedOscillatorConvergesWithTheLinearOrder(string name, int order)
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[,] { { -0.1, 2.0 }, { -2.0, -0.1 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 0.5 }, { -0.3, 2.0 } }, float64);
        const double tEnd = 2.0;
        var exact = StiffProblems.LinearSolution(a, y0, tensor(new[] { tEnd }, float64))[0];
        // Finest error ~1e-11, well above round-off accumulation (~1e-14).
        int[] steps = [6, 8, 12, 16, 24];
        var (slope, errors) = ConvergenceOrder.Measure(FixedStep(name), StiffProblems.Linear(a), y0, tEnd, exact, steps, Tight);
        output.WriteLine($"{name} damped oscillator: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, order - OrderTolerance, order + OrderTolerance);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void MildlyStiffLinearSystemConvergesWithTheNominalOrder(string name, int order)
    {
        using var scope = NewDisposeScope();
        // Eigenvalues −1, −10, −40: h·λ from −4 to −0.6 over the step counts; asymptotic slope below that.
        var a = tensor(new double[,] { { -1, 3, 0 }, { 0, -10, 5 }, { 0, 0, -40 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 1.0, 1.0 } }, float64);
        const double tEnd = 1.0;
        var exact = StiffProblems.LinearSolution(a, y0, tensor(new[] { tEnd }, float64))[0];
        // Rodas5P: h·λ from −5 to −1.25, where it shows its nominal order (measured 4.84); finer steps approach its linear
        // order 6 (see LinearOrders) and then meet round-off.
        int[] steps = name == "rodas5p" ? [8, 12, 16, 24, 32] : [16, 24, 32, 48, 64];
        var (slope, errors) = ConvergenceOrder.Measure(FixedStep(name), StiffProblems.Linear(a), y0, tEnd, exact, steps, Tight);
        output.WriteLine($"{name} stiff linear: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, order - OrderTolerance, order + OrderTolerance);
    }

    // Interpolant order q: local interpolation error O(h^(q+1)), so off-step errors fall like h^min(p, q+1).
    [Theory]
    [InlineData("radau5", 3)]   // the collocation polynomial: stage order 3
    [InlineData("rodas5p", 4)]  // Steinebach's fourth-order continuous extension
    public void DenseOutputConvergesAtTheInterpolantOrder(string name, int interpolantOrder)
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[,] { { -0.1, 2.0 }, { -2.0, -0.1 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 0.5 } }, float64);
        const double tEnd = 2.0;
        int[] stepCounts = [8, 12, 16, 24];
        var errors = new double[stepCounts.Length];
        var logH = new double[stepCounts.Length];
        for (int s = 0; s < stepCounts.Length; s++)
        {
            int n = stepCounts[s];
            double h = tEnd / n;
            // One output at θ = 0.37 inside every step, plus the end points.
            var times = new[] { 0.0 }.Concat(Enumerable.Range(0, n).Select(i => (i + 0.37) * h)).Append(tEnd).ToArray();
            var ts = tensor(times, float64);
            var solution = Ode.Solve(StiffProblems.Linear(a), y0, ts, FixedStep(name), Tight with { StepSize = h });
            errors[s] = solution.Ys.sub(StiffProblems.LinearSolution(a, y0, ts)).abs().max().item<double>();
            logH[s] = Math.Log(h);
        }
        double slope = Slope(logH, errors.Select(e => Math.Log(e)).ToArray());
        output.WriteLine($"{name}: dense-output slope {slope:F2}; errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.True(slope >= interpolantOrder + 1 - OrderTolerance, $"{name}: dense-output slope {slope:F2}");
    }

    // Nonlinear problems exercise all order conditions, not only R(z). Radau5 in fixed steps runs on the weakly nonlinear
    // rotation: its simplified Newton starts the first step from zero with J(y0) and must contract fast enough to reach
    // the tolerance within 7 iterations, which the strongly nonlinear cubic decay does not allow at useful step sizes
    // (θ ≈ 0.02–0.05: it gives the step up, as it should; adaptive runs shrink it). Rodas5P needs no Newton iteration and
    // runs on the cubic decay: on the nearly linear rotation its linear order 6 still dominates (measured 6.3).
    public static TheoryData<string, string> NonlinearCases => new() { { "radau5", "rotation" }, { "rodas5p", "cubic" } };

    [Theory]
    [MemberData(nameof(NonlinearCases))]
    public void NonlinearProblemConvergesWithTheNominalOrder(string name, string problem)
    {
        using var scope = NewDisposeScope();
        const int order = 5;
        // Newton stops at κ·rtol ≈ 1e-12·|y| with rtol 1e-8, below the finest errors here (a few 1e-12 and up).
        var newton = new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-12 };
        IOdeSystem system;
        Tensor y0, exact;
        double tEnd;
        int[] steps;
        if (problem == "rotation")
        {
            // x' = −ω v, v' = ω x with ω = 1 + 0.1(x² + v²): r² is conserved, so the exact solution is a rotation at
            // ω = 1.1 from (1, 0).
            system = new DelegateOdeSystem((t, y) =>
            {
                var rate = y.square().sum(1, keepdim: true).mul(0.1).add(1);
                return cat([y.narrow(1, 1, 1).mul(rate).neg(), y.narrow(1, 0, 1).mul(rate)], 1);
            });
            tEnd = 10;
            y0 = tensor(new double[,] { { 1.0, 0.0 } }, float64);
            exact = tensor(new[,] { { Math.Cos(1.1 * tEnd), Math.Sin(1.1 * tEnd) } }, float64);
            steps = [40, 56, 80, 112, 160];
        }
        else
        {
            // y' = −y³, exact y0/√(1 + 2y0²t); asymptotic over these steps from y0 = 0.3.
            system = new DelegateOdeSystem((t, y) => y.pow(3).neg());
            tEnd = 4;
            y0 = tensor(new double[,] { { 0.3 } }, float64);
            exact = tensor(new[,] { { 0.3 / Math.Sqrt(1 + 2 * 0.09 * tEnd) } }, float64);
            steps = [8, 10, 14, 20, 28];
        }
        var (slope, errors) = ConvergenceOrder.Measure(FixedStep(name), system, y0, tEnd, exact, steps, newton);
        output.WriteLine($"{name} {problem}: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, order - OrderTolerance, order + OrderTolerance);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void NonAutonomousProblemConvergesWithTheNominalOrder(string name, int order)
    {
        using var scope = NewDisposeScope();
        // y' = λ(y − sin t) + cos t, exact y = sin t + (y0 − sin 0) e^(λt): the rates depend on t, which Rosenbrock methods
        // must account for with their ∂f/∂t term (without it they drop to order 1–2); λ = −20 makes it mildly stiff.
        const double lambda = -20, tEnd = 1.0;
        var system = new DelegateOdeSystem((t, y) => y.sub(t.sin()).mul(lambda).add(t.cos()));
        var y0 = tensor(new double[,] { { 0.5 } }, float64);
        var exact = tensor(new[,] { { Math.Sin(tEnd) + 0.5 * Math.Exp(lambda * tEnd) } }, float64);
        int[] steps = [10, 14, 20, 28, 40];
        var (slope, errors) = ConvergenceOrder.Measure(FixedStep(name), system, y0, tEnd, exact, steps, Tight);
        output.WriteLine($"{name} non-autonomous: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, order - OrderTolerance, order + OrderTolerance);
    }

    static double Slope(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
    }
}
