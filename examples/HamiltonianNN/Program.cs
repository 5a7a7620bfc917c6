using HamiltonianNN;
using Spectre.Console;

// Hamiltonian neural networks (Greydanus et al. 2019) on the ideal mass–spring and pendulum, and symplectic solvers.
// Usage: HamiltonianNN [--quick] [--output DIR] [--steps N] [--task spring|pendulum] [--seed S]; --help lists them.
return HnnCommandLine.Command.Run(args, options =>
{
    AnsiConsole.MarkupLine($"[bold]NodeDsl Hamiltonian neural networks[/]: {string.Join(", ", options.Tasks)}, {options.Steps} steps per model; output folder [green]{Markup.Escape(options.OutputDirectory)}[/]");
    var results = HnnExperiment.Run(options, line => AnsiConsole.MarkupLine(Markup.Escape(line)));

    var table = new Table().AddColumns("task", "model", "train MSE", "test MSE", "energy MSE", "state MSE", "time [[s]]");
    foreach (var r in results)
        foreach (var m in new[] { r.Baseline, r.Hnn })
            table.AddRow(m.Task, m.Model, $"{m.TrainMse:0.000e+00}", $"{m.TestMse:0.000e+00}", $"{m.EnergyMse:0.000e+00}", $"{m.StateMse:0.000e+00}", $"{m.TrainSeconds:0.0}");
    AnsiConsole.Write(table);

    var solvers = new Table().AddColumns("task", "dynamics", "solver", "h", "NFE", "max |ΔH|", "final |ΔH|");
    foreach (var s in results.SelectMany(r => r.Solvers))
        solvers.AddRow(s.Task, s.Dynamics, s.Solver, double.IsNaN(s.Step) ? "adaptive" : $"{s.Step}", $"{s.FunctionEvaluations}", $"{s.MaxEnergyError:0.00e+00}", $"{s.FinalEnergyError:0.00e+00}");
    AnsiConsole.Write(solvers);
    AnsiConsole.MarkupLine($"Wrote results.csv, solver_energy.csv and PNGs to [green]{Markup.Escape(options.OutputDirectory)}[/]");
    return 0;
});
