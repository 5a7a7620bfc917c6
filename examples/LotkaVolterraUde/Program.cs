using LotkaVolterraUde;
using NodeDsl.Runtime;
using Spectre.Console;

// Lotka–Volterra universal differential equation (Rackauckas et al. 2020): known growth/decay + a network for the
// interaction, against a pure neural ODE; writes PNGs and results.csv into the output folder.
// Usage: LotkaVolterraUde [--quick] [--output DIR] [--epochs N] [--lbfgs-epochs N] [--seed S]; --help lists them.
return UdeCommandLine.Command.Run(args, options =>
{
    var outputDir = options.OutputDirectory;
    Directory.CreateDirectory(outputDir);
    AnsiConsole.MarkupLine($"[bold]NodeDsl Lotka–Volterra UDE[/] ({Devices.BackendDescription()}): {options.AdamEpochs} Adam + {options.LbfgsEpochs} L-BFGS steps per model; output folder [green]{Markup.Escape(outputDir)}[/]");
    var result = UdeExperiment.Run(options);

    AnsiConsole.Write(ResultsReport.Table(result, options));
    AnsiConsole.MarkupLine(ResultsReport.TermsLine(result.Terms));
    AnsiConsole.MarkupLine(Markup.Escape(ResultsReport.Equations(result.Recovered)));
    ResultsReport.WriteCsv(Path.Combine(outputDir, "results.csv"), result, options);
    ResultsReport.SaveCharts(outputDir, result, options);
    AnsiConsole.MarkupLine($"Wrote results.csv, trajectories.png, interaction.png, loss.png to [green]{Markup.Escape(outputDir)}[/]");
    return 0;
});
