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

    public static TheoryData<string, int> Methods => new() { { "radau5", 5 } };

    internal static IOdeSolver FixedStep(string name) => name switch
    {
        "radau5" => new OneStepSolver(new Radau5(adaptive: false)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void DampedOscillatorConvergesWithTheNominalOrder(string name, int order)
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
        int[] steps = [16, 24, 32, 48, 64];
        var (slope, errors) = ConvergenceOrder.Measure(FixedStep(name), StiffProblems.Linear(a), y0, tEnd, exact, steps, Tight);
        output.WriteLine($"{name} stiff linear: slope {slope:F3}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, order - OrderTolerance, order + OrderTolerance);
    }

    // Interpolant order q: local interpolation error O(h^(q+1)), so off-step errors fall like h^min(p, q+1).
    [Theory]
    [InlineData("radau5", 3)]   // the collocation polynomial: stage order 3
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

    static double Slope(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
    }
}
