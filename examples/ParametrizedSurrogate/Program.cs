using NodeDsl.Runtime;
using ParametrizedSurrogate;
using Spectre.Console;

// Parametrised neural-ODE surrogate of viscous Burgers' equation with a conditioned convolution block.
// Usage: ParametrizedSurrogate [--quick] [--output DIR] [--epochs N] [--seed S]; --help lists them.
return SurrogateCommandLine.Command.Run(args, options =>
{
    Directory.CreateDirectory(options.OutputDirectory);
    AnsiConsole.MarkupLine($"[bold]NodeDsl parametrised surrogate[/]: Burgers u_t + u u_x = μ u_xx on {BurgersEquation.GridSize} points, " +
        $"{options.Epochs} epochs ({Devices.BackendDescription()}); output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var result = SurrogateExperiment.Run(options);

    AnsiConsole.Write(ResultsReport.Table(result, options));
    AnsiConsole.MarkupLine(Markup.Escape(ResultsReport.Summary(result, options)));
    ResultsReport.WriteCsv(Path.Combine(options.OutputDirectory, "results.csv"), result, options);
    ResultsReport.SaveCharts(options.OutputDirectory, result, options);
    AnsiConsole.MarkupLine($"Wrote results.csv, heatmap-in-range.png, heatmap-out-of-range.png, error-vs-time.png, loss.png to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
