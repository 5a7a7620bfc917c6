using SecondOrder;
using Spectre.Console;

// Second-order neural ODEs (Norcliffe et al. 2020) against augmented neural ODEs on a driven oscillator.
// Usage: SecondOrder [--quick] [--output DIR] [--steps N] [--seed S]; --help lists them.
return SecondOrderCommandLine.Command.Run(args, options =>
{
    AnsiConsole.MarkupLine($"[bold]NodeDsl second-order models[/]: SONODE vs ANODE, {options.Steps} steps each; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var results = SecondOrderExperiment.Run(options, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
    var table = new Table().AddColumns("model", "parameters", "train MSE", "test MSE (fit window)", "extrapolation MSE", "NFE", "time [[s]]");
    foreach (var r in results.Models)
        table.AddRow(r.Model, $"{r.Parameters}", $"{r.TrainMse:0.000e+00}", $"{r.TestFitMse:0.000e+00}", $"{r.ExtrapolationMse:0.000e+00}", $"{r.FunctionEvaluations}", $"{r.TrainSeconds:0.0}");
    AnsiConsole.Write(table);
    AnsiConsole.MarkupLine($"Wrote results.csv and PNGs to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
