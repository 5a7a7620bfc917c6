using AnchoredEnsembles;
using NodeDsl.Runtime;
using Spectre.Console;

// Anchored ensembles of neural ODEs for uncertainty (Pearce et al. 2018) on the noisy damped spiral: coverage of
// held-out observations by mean ± 2σ, for several ensemble sizes and prior variances. Usage: [--quick] [output folder].
bool quick = args.Contains("--quick");
var folderArg = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
var outputDir = Path.GetFullPath(folderArg ?? Path.Combine("out", "anchored-ensembles"));
Directory.CreateDirectory(outputDir);
AnsiConsole.MarkupLine($"[bold]NodeDsl anchored ensembles[/] ({Devices.BackendDescription()}){(quick ? " — quick run" : "")}");

var options = (quick ? ExperimentOptions.Quick : new ExperimentOptions()) with { ShowProgress = null };
var result = AnchoredEnsembleExperiment.Run(options);

foreach (var line in ResultsReport.TrainingLines(result)) AnsiConsole.MarkupLine(Markup.Escape(line));
AnsiConsole.Write(ResultsReport.Table(result, options));
ResultsReport.WriteCsv(Path.Combine(outputDir, "results.csv"), result);
ResultsReport.SaveCharts(outputDir, result, options);
AnsiConsole.MarkupLine($"Wrote results.csv, bands.png, loss.png to [green]{Markup.Escape(outputDir)}[/]");
