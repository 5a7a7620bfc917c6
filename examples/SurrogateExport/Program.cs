using Spectre.Console;
using SurrogateExport;

// Trains the damped-oscillator UDE for a range of damping ratios and exports its weights into examples/SurrogateLibrary.
// Usage: SurrogateExport [--quick] [--output DIR] [--epochs N] [--weights PATH]; --help lists them.
return ExportCommandLine.Command.Run(args, options =>
{
    AnsiConsole.MarkupLine($"[bold]NodeDsl surrogate export[/]: damped oscillator x'' + 2ζωx' + ω²x = 0, ζ ∈ [[{options.ZetaMin}, {options.ZetaMax}]], {options.Epochs} epochs; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var r = SurrogateExportExperiment.Run(options);
    using (r.Model)
    {
        var table = new Table().AddColumns("loss first → last", "test RMSE (ζ in range)", $"RMSE at ζ = {SurrogateExportExperiment.ExtrapolationZeta}", "time [[s]]", "weight file");
        table.AddRow($"{r.InitialLoss:0.000e+00} → {r.FinalLoss:0.000e+00}", $"{r.TestRmse:0.0000}", $"{r.ExtrapolationRmse:0.0000}", $"{r.TrainSeconds:0.0}", $"{r.WeightsBytes} bytes");
        AnsiConsole.Write(table);
        var m = r.Metadata;
        AnsiConsole.MarkupLine($"Metadata: {Markup.Escape(m.ModelType)}, {m.Parameters.Count} tensors, solver {m.Solver} (step {m.StepSize}), gradient {m.GradientMethod}, NodeDsl {Markup.Escape(m.NodeDslVersion)}, created {m.Created:u}");
        AnsiConsole.MarkupLine($"Ranges: {Markup.Escape(string.Join(", ", m.States.Concat(m.Inputs).Append(m.Time!).Select(v => $"{v.Name} ∈ [{v.Min:0.###}, {v.Max:0.###}]")))}");
        AnsiConsole.MarkupLine($"Wrote the weights to [green]{Markup.Escape(r.WeightsPath)}[/] and results.csv and PNGs to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    }
    return 0;
});
