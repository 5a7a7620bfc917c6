using DoublePendulum;
using Spectre.Console;

// Lagrangian neural networks (Cranmer et al. 2020) on the double pendulum.
// Usage: DoublePendulum [--quick] [--output DIR] [--steps N] [--seed S]; --help lists them.
return PendulumCommandLine.Command.Run(args, options =>
{
    AnsiConsole.MarkupLine($"[bold]NodeDsl Lagrangian neural networks[/]: LNN vs acceleration network vs HNN, {options.Steps} steps each; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var results = PendulumExperiment.Run(options, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
    var table = new Table().AddColumns("model", "parameters", "train MSE", "test MSE", "trajectory MSE", "max |ΔE|", "final |ΔE|", "own |ΔE|", "time [[s]]");
    foreach (var m in results.Models)
        table.AddRow(m.Model, $"{m.Parameters}", $"{m.TrainMse:0.000e+00}", $"{m.TestMse:0.000e+00}", $"{m.TrajectoryMse:0.000e+00}",
            $"{m.MaxEnergyDrift:0.000e+00}", $"{m.FinalEnergyDrift:0.000e+00}",
            double.IsNaN(m.LearnedEnergyDrift) ? "—" : $"{m.LearnedEnergyDrift:0.0e+00}", $"{m.TrainSeconds:0.0}");
    AnsiConsole.Write(table);
    AnsiConsole.MarkupLine($"Wrote results.csv and PNGs to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
