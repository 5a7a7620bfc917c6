using System.Diagnostics;
using Spectre.Console;
using Spiral;

// The README's main example: the solver comparison on the true spiral (fast), then Chen et al.'s neural-ODE demo.
// Usage: Spiral [--quick] [--output DIR] [--epochs N] [--lr RATE] [--window POINTS] [--noise SIGMA] [--no-solvers]; --help lists them.
return SpiralCommandLine.Command.Run(args, options =>
{
    AnsiConsole.MarkupLine($"[bold]NodeDsl spiral[/]: output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    if (options.SolverTable) SolverTable.Run(options.OutputDirectory);

    AnsiConsole.MarkupLine($"[bold]Training[/] SpiralNode (dh/dt = MLP(h³)) for {options.Epochs} epochs: windows of {options.WindowPoints} points, batch {options.BatchSize}, Adam lr {options.LearningRate}");
    var clock = Stopwatch.StartNew();
    var metrics = SpiralTraining.Run(options);
    AnsiConsole.MarkupLine($"Test L1 over the whole trajectory: [bold]{metrics.TestL1:0.0000}[/] (target ≤ 0.1), training loss {metrics.InitialLoss:0.000} → {metrics.FinalLoss:0.0000}");
    AnsiConsole.MarkupLine($"Training {metrics.TrainSeconds:0.0} s, NFE {metrics.TrainingNfe} (training) + {metrics.PredictionNfe} (test solve); total {clock.Elapsed.TotalSeconds:0.0} s");
    AnsiConsole.MarkupLine($"Wrote results.csv, fit_trajectories.png, fit_phase.png, fit_vector_field.png, fit_loss.png to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
