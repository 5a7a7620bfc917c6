using AnchoredEnsembles;
using NodeDsl.Runtime;
using Spectre.Console;

// Anchored ensembles of neural ODEs for uncertainty (Pearce et al. 2018) on the noisy damped spiral: coverage of
// held-out observations by mean ± 2σ, for several ensemble sizes and prior variances.
// Usage: AnchoredEnsembles [--quick] [--output DIR] [--epochs N] [--seed S]; --help lists them.
return EnsembleCommandLine.Command.Run(args, options =>
{
    var outputDir = options.OutputDirectory;
    Directory.CreateDirectory(outputDir);
    AnsiConsole.MarkupLine($"[bold]NodeDsl anchored ensembles[/] ({Devices.BackendDescription()}): {options.Epochs} epochs; output folder [green]{Markup.Escape(outputDir)}[/]");
    var result = AnchoredEnsembleExperiment.Run(options);

    foreach (var line in ResultsReport.TrainingLines(result)) AnsiConsole.MarkupLine(Markup.Escape(line));
    AnsiConsole.Write(ResultsReport.Table(result, options));
    ResultsReport.WriteCsv(Path.Combine(outputDir, "results.csv"), result);
    ResultsReport.SaveCharts(outputDir, result, options);
    AnsiConsole.MarkupLine($"Wrote results.csv, bands.png, loss.png to [green]{Markup.Escape(outputDir)}[/]");
    return 0;
});
