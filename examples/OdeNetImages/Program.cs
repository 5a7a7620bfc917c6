using System.Globalization;
using NodeDsl.Runtime;
using OdeNetImages;
using Spectre.Console;

// Chen et al.'s image ODE-Net vs a ResNet and an RK-Net on Fashion-MNIST.
// Usage: OdeNetImages [--quick] [--output DIR] [--data DIR] [--train N] [--test N] [--epochs N] [--batch N] [--seed S]; --help lists them.
return ImageCommandLine.Command.Run(args, options =>
{
    Directory.CreateDirectory(options.OutputDirectory);
    AnsiConsole.MarkupLine($"[bold]NodeDsl image ODE-Net[/]: ResNet, RK-Net and ODE-Net on Fashion-MNIST, {options.Epochs} epochs " +
        $"({Devices.BackendDescription()}); output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var result = ImageExperiment.Run(options with
    {
        OnEpoch = (name, e) => AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{name,-8} epoch {e.Epoch}: train loss {e.TrainLoss:0.0000}, test error {100 * e.Test!.Error:0.00}%, " +
            $"NFE/batch {e.ForwardNfePerBatch:0.0} + {e.BackwardNfePerBatch:0.0}, {e.Seconds:0.0} s"))),
    });
    AnsiConsole.MarkupLine(Markup.Escape(ImageReport.DataLine(result)));
    AnsiConsole.Write(ImageReport.Table(result));
    ImageReport.WriteCsv(Path.Combine(options.OutputDirectory, "results.csv"), result);
    ImageReport.SaveCharts(options.OutputDirectory, result);
    AnsiConsole.MarkupLine($"Wrote results.csv, test-error.png, confusion-odenet.png to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
