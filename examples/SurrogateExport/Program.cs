using System.Globalization;
using Spectre.Console;
using SurrogateExport;

// Trains the damped-oscillator UDE for a range of damping ratios and exports its weights into examples/SurrogateLibrary.
// Usage: SurrogateExport [--quick] [--epochs N] [--weights PATH] [OUTPUT_DIR]
var options = new SurrogateExportOptions();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") options = options with { Epochs = 30, ZetaCount = 4, ShowProgress = false };
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int epochs) && epochs > 0) { options = options with { Epochs = epochs }; i++; }
    else if (args[i] == "--weights" && i + 1 < args.Length) { options = options with { WeightsPath = args[i + 1] }; i++; }
    else if (!args[i].StartsWith('-')) options = options with { OutputDirectory = args[i] };
    else
    {
        Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.\nUsage: SurrogateExport [--quick] [--epochs N] [--weights PATH] [OUTPUT_DIR]");
        return 2;
    }
}
options = options with { OutputDirectory = Path.GetFullPath(options.OutputDirectory) };
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
