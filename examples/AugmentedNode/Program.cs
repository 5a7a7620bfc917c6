using System.Globalization;
using AugmentedNode;
using NodeDsl.Runtime;
using Spectre.Console;

// Augmented neural ODEs (Dupont et al. 2019) on the 2-D concentric classification: a plain NODE against ANODEs with 1 and
// 5 extra dimensions; per-epoch accuracy, loss and forward NFE, flow plots, results.csv.
// Usage: AugmentedNode [--quick] [--output DIR] [--epochs N] [--seed S]; --help lists them.
return AugmentedNodeCommandLine.Command.Run(args, options =>
{
    options = options with
    {
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
});
