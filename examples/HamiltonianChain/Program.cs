using HamiltonianChain;
using Spectre.Console;

// An 8-mass FPU-β chain as a vector Hamiltonian ([Coordinate(Size = 8)] Vec q): fit k and β written over Vec coordinates
// and as 8 scalar pairs (time per epoch of each), then long rollouts with symplectic and Runge–Kutta solvers.
// Usage: HamiltonianChain [--quick] [--output DIR] [--epochs N] [--rollout-end T] [--seed S]; --help lists them.
return ChainCommandLine.Command.Run(args, options =>
{
    AnsiConsole.MarkupLine($"[bold]NodeDsl vector Hamiltonian chain[/]: {options.Epochs} epochs per formulation; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var r = ChainExperiment.Run(options, line => AnsiConsole.MarkupLine(Markup.Escape(line)));

    var fits = new Table().AddColumns("formulation", "k (true 1)", "β (true 2)", "final loss", "s / epoch", "Rates µs (16 / 256)", "Rates+VJP µs (16 / 256)");
    foreach (var f in new[] { r.Scalar, r.Vec, r.VecOde })
    {
        var c = r.Calls.Where(x => x.Formulation == f.Formulation).OrderBy(x => x.Batch).ToArray();
        fits.AddRow(f.Formulation, $"{f.K:0.0000}", $"{f.Beta:0.0000}", $"{f.FinalLoss:0.00e+00}", $"{f.SecondsPerEpoch:0.000}",
            $"{c[0].RatesMicroseconds:0} / {c[1].RatesMicroseconds:0}", $"{c[0].VjpMicroseconds:0} / {c[1].VjpMicroseconds:0}");
    }
    AnsiConsole.Write(fits);
    AnsiConsole.MarkupLine($"time per epoch: scalar pairs / vec [bold]{r.Scalar.SecondsPerEpoch / r.Vec.SecondsPerEpoch:0.0}×[/], vec / vec ODE [bold]{r.Vec.SecondsPerEpoch / r.VecOde.SecondsPerEpoch:0.0}×[/]");

    var rollouts = new Table().AddColumns("solver", "h", "NFE", "RMSE (t ≤ 20 s)", "RMSE (all)", "max |ΔH|/H", "final |ΔH|/H", "s");
    foreach (var s in r.Rollouts)
        rollouts.AddRow(s.Solver, double.IsNaN(s.Step) ? "adaptive" : $"{s.Step}", $"{s.FunctionEvaluations}", $"{s.ShortRmse:0.00e+00}", $"{s.TrajectoryRmse:0.00e+00}",
            $"{s.MaxEnergyDrift:0.00e+00}", $"{s.FinalEnergyDrift:0.00e+00}", $"{s.Seconds:0.00}");
    AnsiConsole.Write(rollouts);
    AnsiConsole.MarkupLine($"Wrote results.csv, rollouts.csv and PNGs to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
