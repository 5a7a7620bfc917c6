using System.Globalization;
using AugmentedNode;
using NodeDsl.Runtime;
using Spectre.Console;

// Augmented neural ODEs (Dupont et al. 2019) on the 2-D concentric classification: a plain NODE against ANODEs with 1 and
// 5 extra dimensions; per-epoch accuracy, loss and forward NFE, flow plots, results.csv.
// Usage: AugmentedNode [--quick] [--epochs N] [OUTPUT_DIR]
bool quick = false;
int? epochs = null;
string? outputDir = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") quick = true;
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int e) && e > 0) { epochs = e; i++; }
    else if (!args[i].StartsWith('-')) outputDir = args[i];
    else
    {
        Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.\nUsage: AugmentedNode [--quick] [--epochs N] [OUTPUT_DIR]");
        return 2;
    }
}
var defaults = new AugmentedNodeOptions();
var options = quick ? AugmentedNodeOptions.Quick(defaults.OutputDirectory) : defaults;
options = options with
{
    OutputDirectory = Path.GetFullPath(outputDir ?? options.OutputDirectory),
    Epochs = epochs ?? options.Epochs,
    OnEpoch = (name, e) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-10} epoch {e.Epoch,3}: loss {e.Loss:0.0000}  accuracy {e.Accuracy:0.000}  forward NFE {e.ForwardNfe,5:0.0}  ({e.Seconds:0.0} s)")),
};
AnsiConsole.MarkupLine($"[bold]NodeDsl augmented neural ODEs[/] ({Devices.BackendDescription()}): {options.InnerPoints} + {options.OuterPoints} points, " +
    $"{options.Epochs} epochs per model; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
var result = AugmentedNodeExperiment.Run(options);

// Per-epoch lines were printed above; the table sums them up per model.
var table = new Table().AddColumns("model", "loss 0 → last", "accuracy", "loss ≤ 0.05 at", "NFE 1 → last", "[[s]]");
foreach (var run in result.Models)
{
    var first = run.Epochs[1];
    var last = run.Final;
    table.AddRow(run.Name, $"{run.Epochs[0].Loss:0.0000} → {last.Loss:0.0000}", $"{last.Accuracy:0.000}",
        run.FirstEpochBelow(0.05)?.ToString(CultureInfo.InvariantCulture) ?? "–", $"{first.ForwardNfe:0.0} → {last.ForwardNfe:0.0}",
        $"{run.Epochs.Sum(e => e.Seconds):0.0}");
}
AnsiConsole.Write(table);
AnsiConsole.MarkupLine("Loss, accuracy: whole training set after the epoch (epoch 0: untrained); NFE: mean forward evaluations per training batch.");
AnsiConsole.MarkupLine($"Wrote results.csv, flows.png, features.png, loss.png, nfe.png, accuracy.png to [green]{Markup.Escape(options.OutputDirectory)}[/]");
return 0;
