using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>Empirical order of a fixed-step solver: the least-squares slope of log(error) against log(h).</summary>
internal static class ConvergenceOrder
{
    /// <summary>
    /// Solves with each step count in <paramref name="stepCounts"/> over <c>[0, tEnd]</c> and returns the slope and the
    /// max-norm errors at the end time against <paramref name="exact"/> (<c>[batch, n]</c>).
    /// </summary>
    public static (double Slope, double[] Errors) Measure(IOdeSolver solver, IOdeSystem system, Tensor y0, double tEnd,
        Tensor exact, int[] stepCounts, SolverOptions? options = null)
    {
        var errors = new double[stepCounts.Length];
        var logH = new double[stepCounts.Length];
        for (int i = 0; i < stepCounts.Length; i++)
        {
            using var scope = NewDisposeScope();
            double h = tEnd / stepCounts[i];
            var ts = tensor(new[] { 0.0, tEnd }, float64);
            var solution = Ode.Solve(system, y0, ts, solver, (options ?? new SolverOptions()) with { StepSize = h });
            Assert.Equal(stepCounts[i], solution.Stats.AcceptedSteps);
            errors[i] = solution.Ys[1].sub(exact).abs().max().item<double>();
            logH[i] = Math.Log(h);
        }
        var logE = errors.Select(e => Math.Log(e)).ToArray();
        double mh = logH.Average(), me = logE.Average();
        double slope = logH.Zip(logE, (x, y) => (x - mh) * (y - me)).Sum() / logH.Sum(x => (x - mh) * (x - mh));
        return (slope, errors);
    }
}
