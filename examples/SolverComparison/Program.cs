using System.Diagnostics;
using NodeDsl.Runtime;
using SolverComparison;
using Spectre.Console;

// Example 3 of issue 5: the classic solver study (training time, time/epoch, MSE, max NFE) for the spiral NODE
// dh/dt = MLP(h³), with Euler, RK4, Bogacki–Shampine and Dormand–Prince, direct backprop and adjoint, on evenly and
// irregularly spaced data. Writes results.csv and PNGs into the output folder it prints.
// Usage: SolverComparison [--quick] [--output DIR] [--epochs N] [--solvers LIST] …; --help lists every option.
return ComparisonCommandLine.Command.Run(args, options =>
{
    // Redirected output (a log, CI) gets Spectre's 80-column default, which would wrap the nine-column table.
    if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 150;
    var outputDir = options.OutputDirectory;
    Directory.CreateDirectory(outputDir);
    AnsiConsole.MarkupLine($"[bold]NodeDsl solver comparison[/] ({Markup.Escape(Devices.BackendDescription())}): output folder [green]{Markup.Escape(outputDir)}[/]");
    AnsiConsole.MarkupLine(Markup.Escape(
        $"SpiralNode (dh/dt = MLP(h³), 2→50→tanh→2), {options.Points} points on [0, 25], noise σ = {options.Noise}; {options.Epochs} epochs per configuration, " +
        $"windows of {options.WindowPoints} points × {options.BatchSize}, Adam lr {options.LearningRate} (cosine), MSE loss, float64; " +
        $"fixed step h = {options.EffectiveFixedStep:0.#####}, adaptive rtol {options.RelativeTolerance:0.#e+0} atol {options.AbsoluteTolerance:0.#e+0}"));

    var clock = Stopwatch.StartNew();
    var result = ComparisonExperiment.Run(options, r => AnsiConsole.MarkupLine(Markup.Escape(
        $"  {r.Configuration,-32} {r.TrainingSeconds,6:0.0} s  " +
        (r.Succeeded ? $"MSE {r.FinalMse:0.00e+00}, loss {r.InitialLoss:0.00e+00} → {r.FinalLoss:0.00e+00}" : r.Failure ?? r.PredictionFailure))));

    AnsiConsole.Write(ComparisonReport.Table(result));
    foreach (var note in ComparisonReport.FailureNotes(result)) AnsiConsole.MarkupLine($"[red]{Markup.Escape(note)}[/]");
    ComparisonReport.WriteCsv(Path.Combine(outputDir, "results.csv"), result);
    var files = options.WriteCharts
        ? ComparisonReport.SaveCharts(outputDir, result, new Configuration("dopri5", GradientKind.Direct, Spacing.Irregular))
        : [];
    AnsiConsole.MarkupLine($"Total {clock.Elapsed.TotalMinutes:0.0} min. Wrote results.csv{string.Concat(files.Select(f => ", " + f))} to [green]{Markup.Escape(outputDir)}[/]");
    return 0;
});
