using System.Globalization;
using HamiltonianNN;
using Spectre.Console;

// Hamiltonian neural networks (Greydanus et al. 2019) on the ideal mass–spring and pendulum, and symplectic solvers.
// Usage: HamiltonianNN [--quick] [--steps N] [--task spring|pendulum] [OUTPUT_DIR]
var options = new HnnOptions();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") options = HnnOptions.Quick(options.OutputDirectory);
    else if (args[i] == "--steps" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int steps) && steps > 0) { options = options with { Steps = steps }; i++; }
    else if (args[i] == "--task" && i + 1 < args.Length && args[i + 1] is "spring" or "pendulum") { options = options with { Tasks = [args[i + 1]] }; i++; }
    else if (!args[i].StartsWith('-')) options = options with { OutputDirectory = args[i] };
    else
    {
        Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.\nUsage: HamiltonianNN [--quick] [--steps N] [--task spring|pendulum] [OUTPUT_DIR]");
        return 2;
    }
}
options = options with { OutputDirectory = Path.GetFullPath(options.OutputDirectory) };
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
