using System.Globalization;
using Spectre.Console;
using SystemIdentification;

// System identification of dz/dt = A z: a plain neural ODE against a learnable linear map.
// Usage: SystemIdentification [--quick] [--output DIR] [--epochs N]; --help lists them.
return SystemIdentificationCommandLine.Command.Run(args, options =>
{
    AnsiConsole.MarkupLine($"[bold]NodeDsl system identification[/]: dz/dt = A z, {options.Epochs} epochs per model; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var m = SystemIdentificationExperiment.Run(options);

    var table = new Table().AddColumns("model", "loss first → last", "MAE on [[0, T]]", "MAE on (T, 2T]]", "time [[s]]", "NFE");
    foreach (var r in new[] { m.Node, m.Linear })
        table.AddRow(r.Name, $"{r.InitialLoss:0.000e+00} → {r.FinalLoss:0.000e+00}", $"{r.FitError:0.0000}", $"{r.ExtrapolationError:0.0000}", $"{r.TrainSeconds:0.0}", $"{r.TrainingNfe}");
    AnsiConsole.Write(table);
    var a = m.RecoveredA;
    AnsiConsole.MarkupLine($"Recovered A = [[[[{a[0, 0]:0.0000}, {a[0, 1]:0.0000}]], [[{a[1, 0]:0.0000}, {a[1, 1]:0.0000}]]]]  (true [[[[-0.1, -1.0]], [[1.0, -0.1]]]]), ‖Â − A‖_F = {m.MatrixError:0.0000}");
    AnsiConsole.MarkupLine($"Wrote results.csv and PNGs to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
