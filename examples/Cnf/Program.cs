using System.Globalization;
using Cnf;
using NodeDsl.Runtime;
using Spectre.Console;

// Continuous normalizing flows (FFJORD) on 2-D toy densities, each without and with the kinetic-energy and Jacobian
// regularisers: test NLL (exact trace), NFE, density and sample plots, results.csv.
// Usage: Cnf [--quick] [--output DIR] [--iterations N] [--data moons|8gaussians|checkerboard] [--seed S]; --help lists them.
return CnfCommandLine.Command.Run(args, options =>
{
    options = options with
    {
        OnStep = (density, model, s) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ToyData.Name(density),-12} {model,-11} step {s.Step,4}: loss {s.Loss,7:0.000}  NFE forward {s.ForwardNfe,3} backward {s.BackwardNfe,4}  ({s.Seconds:0.00} s)")),
    };
    AnsiConsole.MarkupLine($"[bold]NodeDsl continuous normalizing flows[/] ({Devices.BackendDescription()}): {options.Densities.Count} densities, " +
        $"{options.Iterations} steps of {options.BatchSize} points per model; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var runs = CnfExperiment.Run(options);

    var table = new Table().AddColumns("density", "model", "test NLL", "optimum", "forward NFE", "backward NFE", "[[s]]");
    foreach (var r in runs)
        table.AddRow(ToyData.Name(r.Density), r.Model, r.TestNll.ToString("0.000", CultureInfo.InvariantCulture),
            ToyData.Entropy(r.Density)?.ToString("0.000", CultureInfo.InvariantCulture) ?? "–", r.LateForwardNfe.ToString("0.0", CultureInfo.InvariantCulture),
            r.LateBackwardNfe.ToString("0.0", CultureInfo.InvariantCulture), r.TrainSeconds.ToString("0", CultureInfo.InvariantCulture));
    AnsiConsole.Write(table);
    AnsiConsole.MarkupLine("Test NLL in nats with the exact trace; optimum: the density's entropy where it has a closed form; NFE: mean over the last quarter of training.");
    AnsiConsole.MarkupLine($"Wrote results.csv, densities.png, nfe.png, loss.png to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
