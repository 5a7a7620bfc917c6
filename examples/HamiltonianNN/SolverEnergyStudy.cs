using System.Diagnostics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HamiltonianNN;

/// <summary>Energy error of one solver on one vector field.</summary>
/// <param name="Dynamics">"true" (the exact Hamiltonian) or "hnn" (the trained network; its own energy is the invariant).</param>
/// <param name="MaxEnergyError">Max over time of |H(y(t)) − H(y0)|, averaged over the initial states.</param>
/// <param name="FinalEnergyError">|H(y(T)) − H(y0)| averaged over the initial states.</param>
/// <param name="Times">Output times (for the plot).</param>
/// <param name="MeanErrorCurve">|H(y(t)) − H(y0)| averaged over the initial states at each time.</param>
public sealed record SolverEnergyResult(string Task, string Dynamics, string Solver, double Step, int FunctionEvaluations,
    double MaxEnergyError, double FinalEnergyError, double Seconds, double[] Times, double[] MeanErrorCurve);

/// <summary>
/// How well each solver keeps the invariant H over a long horizon: the true system and the HNN (whose exact flow keeps
/// its learned H) integrated with leapfrog, Yoshida 4, implicit midpoint (fixed step h) and dopri5 (rtol = DriftTolerance).
/// </summary>
public static class SolverEnergyStudy
{
    /// <summary>Runs every solver of <paramref name="options"/> on <paramref name="system"/> with invariant <paramref name="energy"/>.</summary>
    public static IReadOnlyList<SolverEnergyResult> Run(string task, string dynamics, IOdeSystem system, Func<Tensor, Tensor> energy, Tensor y0, HnnOptions options)
    {
        var results = new List<SolverEnergyResult>();
        int steps = (int)System.Math.Round(options.DriftEnd / options.DriftStep);
        foreach (var name in options.DriftSolvers)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var solver = Solvers.ByName(name);
            var times = linspace(0, options.DriftEnd, steps + 1, dtype: ScalarType.Float64);
            var solverOptions = solver.IsAdaptive
                ? new SolverOptions { RelativeTolerance = options.DriftTolerance, AbsoluteTolerance = options.DriftTolerance * 1e-2, MaxSteps = 10_000_000 }
                // Implicit midpoint: a tight Newton tolerance (residual ~1e-3 of atol + rtol·|y| per step), so the energy
                // error is the method's, not the iteration's; tighter than 1e-8 the iteration stalls at round-off.
                : new SolverOptions { StepSize = options.DriftStep, RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10, MaxSteps = 10_000_000 };
            var clock = Stopwatch.StartNew();
            OdeSolution solution;
            try { solution = Ode.Solve(system, y0, times, solver, solverOptions); }
            catch (OdeSolverException e)
            {
                // Reported as a row with NaN errors rather than ending the example (e.g. a Newton failure).
                Console.Error.WriteLine($"{task}/{dynamics}/{name}: {e.Message}");
                results.Add(new(task, dynamics, name, options.DriftStep, 0, double.NaN, double.NaN, 0, [], []));
                continue;
            }
            clock.Stop();
            var ys = solution.Ys;
            var h = energy(ys.reshape(-1, 2)).reshape(ys.shape[0], ys.shape[1]);
            var error = h.sub(h[0]).abs();                      // [T, batch]
            var curve = error.mean([1L]).to(ScalarType.Float64).data<double>().ToArray();
            double maxError = error.max(0).values.mean().ToDouble();
            double finalError = error[-1].mean().ToDouble();
            results.Add(new(task, dynamics, name, solver.IsAdaptive ? double.NaN : options.DriftStep, solution.Stats.FunctionEvaluations,
                maxError, finalError, clock.Elapsed.TotalSeconds, times.data<double>().ToArray(), curve));
        }
        return results;
    }
}
