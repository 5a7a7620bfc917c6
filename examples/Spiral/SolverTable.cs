using System.Diagnostics;
using System.Globalization;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Plotting;
using NodeDsl.Workloads;
using Spectre.Console;
using static TorchSharp.torch;

namespace Spiral;

/// <summary>
/// Solves the spiral workload with several solvers, compares each with a tight float64 reference,
/// and writes PNG plots plus solvers.csv into the output folder.
/// </summary>
public static class SolverTable
{
    public static void Run(string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        var device = Devices.Default();
        var dtype = ScalarType.Float64;
        AnsiConsole.MarkupLine($"[bold]Solver comparison[/] on {device.type} ({Devices.BackendDescription()})");

        using var y0 = SpiralWorkload.InitialState(dtype, device);
        using var ts = SpiralWorkload.Times(dtype, device);
        // The true dynamics as a generated model (examples/Spiral/TrueSpiral.cs); checked against the tensor workload below.
        var system = new TrueSpiral(new ModelOptions { DType = dtype, Device = device });
        using (var f = system.Rates(ts[0], y0))
        using (var g = SpiralWorkload.TrueDynamics(dtype, device).Rates(ts[0], y0))
            if (!f.allclose(g)) throw new InvalidOperationException("Generated spiral rates disagree with the workload definition.");
        double[] times = ts.cpu().data<double>().ToArray();

        // Reference: 8th-order Dormand–Prince at a tolerance far below every compared run.
        var reference = Ode.Solve(system, y0, ts, Solvers.Dopri8, new SolverOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 });
        double[,] referenceValues = ToHost(reference.Ys);

        var fixedStep = SpiralWorkload.EndTime / (SpiralWorkload.Points - 1);
        var runs = new (string Name, SolverOptions Options)[]
        {
            ("euler", new SolverOptions { StepSize = fixedStep }),
            ("rk4", new SolverOptions { StepSize = fixedStep }),
            ("abm", new SolverOptions { StepSize = fixedStep }),
            ("bosh3", new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 }),
            ("dopri5", new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 }),
            ("tsit5", new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 }),
            ("dopri8", new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 }),
            ("kvaerno5", new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 }),
        };

        var table = new Table().AddColumns("solver", "NFE", "accepted", "rejected", "max |error|", "time [[ms]]");
        var csv = new List<string> { "solver,nfe,accepted,rejected,max_abs_error,time_ms" };
        var phase = new List<Series> { new("reference (dopri8, rtol 1e-12)", Column(referenceValues, 0), Column(referenceValues, 1), SeriesStyle.Dashed) };
        var errors = new List<Series>();
        foreach (var (name, options) in runs)
        {
            var solver = Solvers.ByName(name);
            var clock = Stopwatch.StartNew();
            OdeSolution solution;
            try { solution = Ode.Solve(system, y0, ts, solver, options); }
            catch (OdeSolverException e)
            {
                // E.g. explicit Euler at this step is unstable on the spiral's fast initial phase: report, don't hide.
                table.AddRow(name, "-", "-", "-", "[red]failed[/]", Markup.Escape(e.GetType().Name));
                csv.Add($"{name},,,,failed: {e.GetType().Name},");
                continue;
            }
            double[,] values = ToHost(solution.Ys);
            clock.Stop();
            var pointwise = Enumerable.Range(0, times.Length)
                .Select(i => Math.Max(Math.Abs(values[i, 0] - referenceValues[i, 0]), Math.Abs(values[i, 1] - referenceValues[i, 1])))
                .ToArray();
            double maxError = pointwise.Max();
            var s = solution.Stats;
            table.AddRow(name, s.FunctionEvaluations.ToString(), s.AcceptedSteps.ToString(), s.RejectedSteps.ToString(),
                maxError.ToString("0.00e+00", CultureInfo.InvariantCulture), clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
            csv.Add(string.Join(',', name, s.FunctionEvaluations, s.AcceptedSteps, s.RejectedSteps,
                maxError.ToString("R", CultureInfo.InvariantCulture), clock.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)));
            phase.Add(new Series(name, Column(values, 0), Column(values, 1)));
            errors.Add(new Series(name, times, pointwise));
        }

        AnsiConsole.Write(table);
        File.WriteAllLines(Path.Combine(outputDir, "solvers.csv"), csv);
        Charts.SaveLines(Path.Combine(outputDir, "phase.png"), "Spiral dy/dt = y³A: phase portrait", "y₁", "y₂", phase, equalAxes: true);
        Charts.SaveLines(Path.Combine(outputDir, "trajectories.png"), "Spiral: reference trajectories", "t", "y",
            [new("y₁", times, Column(referenceValues, 0)), new("y₂", times, Column(referenceValues, 1))]);
        Charts.SaveLines(Path.Combine(outputDir, "errors.png"), "Spiral: |error| against the dopri8 reference", "t", "max-norm error", errors, logY: true);
        AnsiConsole.MarkupLine($"Wrote solvers.csv, phase.png, trajectories.png, errors.png to [green]{outputDir}[/]");
    }

    static double[,] ToHost(Tensor ys)
    {
        // ys: [T, 1, 2] → [T, 2] on the host.
        using var flat = ys.squeeze(1).to(ScalarType.Float64).cpu();
        var data = flat.data<double>().ToArray();
        var result = new double[flat.shape[0], 2];
        for (int i = 0; i < result.GetLength(0); i++) { result[i, 0] = data[2 * i]; result[i, 1] = data[2 * i + 1]; }
        return result;
    }

    static double[] Column(double[,] values, int column)
        => Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, column]).ToArray();
}
