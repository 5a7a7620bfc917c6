using System.Globalization;
using EcgHeartbeats;
using NodeDsl.Runtime;
using Spectre.Console;

// Heartbeat classification with a ResNet and an ODE-Net on SYNTHETIC beats (ECGSYN) or the MIT-BIH heartbeat CSV files.
// Usage: EcgHeartbeats [--quick] [--output DIR] [--mitbih DIR] [--train N] [--test N] [--epochs N] [--batch N] [--noise SIGMA] [--seed S].
return EcgCommandLine.Command.Run(args, options =>
{
    Directory.CreateDirectory(options.OutputDirectory);
    AnsiConsole.MarkupLine($"[bold]NodeDsl heartbeat classification[/]: ResNet vs ODE-Net, {options.Epochs} epochs " +
        $"({Devices.BackendDescription()}); output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    if (options.MitBihDirectory is null)
        AnsiConsole.MarkupLine("[yellow]The beats are synthetic[/] (McSharry et al.'s ECGSYN model with class-specific morphology); pass --mitbih DIR for the real MIT-BIH set.");
    var result = EcgExperiment.Run(options with
    {
        OnEpoch = (name, e) => AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{name,-8} epoch {e.Epoch}: train loss {e.TrainLoss:0.0000}, test accuracy {e.Test!.Accuracy:0.000}, " +
            $"NFE/batch {e.ForwardNfePerBatch:0.0} + {e.BackwardNfePerBatch:0.0}, {e.Seconds:0.0} s"))),
    });
    AnsiConsole.MarkupLine(Markup.Escape(EcgReport.DataLine(result)));
    AnsiConsole.Write(EcgReport.Table(result));
    EcgReport.WriteCsv(Path.Combine(options.OutputDirectory, "results.csv"), result);
    EcgReport.SaveCharts(options.OutputDirectory, result);
    AnsiConsole.MarkupLine($"Wrote results.csv, beats.png, test-error.png, confusion-resnet.png, confusion-odenet.png to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
