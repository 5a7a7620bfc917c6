using System.Globalization;
using NodeDsl.Runtime;
using ParametrizedSurrogate;
using Spectre.Console;

// Parametrised neural-ODE surrogate of viscous Burgers' equation with a conditioned convolution block.
// Usage: ParametrizedSurrogate [--quick] [--epochs N] [OUTPUT_DIR]
var options = new SurrogateOptions { ShowProgress = null };
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") options = SurrogateOptions.Quick(options.OutputDirectory) with { ShowProgress = null };
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int epochs) && epochs > 0) { options = options with { Epochs = epochs }; i++; }
    else if (!args[i].StartsWith('-')) options = options with { OutputDirectory = args[i] };
    else
    {
        Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.\nUsage: ParametrizedSurrogate [--quick] [--epochs N] [OUTPUT_DIR]");
        return 2;
    }
}
options = options with { OutputDirectory = Path.GetFullPath(options.OutputDirectory) };
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
