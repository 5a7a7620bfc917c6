using System.Globalization;
using NodeDsl.Runtime.Plotting;

namespace HamiltonianNN;

/// <summary>results.csv, solver_energy.csv and the PNGs of every task.</summary>
public static class HnnReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes all outputs of <paramref name="results"/> to <paramref name="dir"/>.</summary>
    public static void Save(string dir, IReadOnlyList<TaskResult> results)
    {
        string R(double v) => v.ToString("R", Inv);
        var lines = new List<string> { "task,model,initial_loss,train_derivative_mse,test_derivative_mse,energy_mse,state_mse,train_seconds" };
        foreach (var r in results)
            foreach (var m in new[] { r.Baseline, r.Hnn })
                lines.Add(string.Join(',', m.Task, m.Model, R(m.InitialLoss), R(m.TrainMse), R(m.TestMse), R(m.EnergyMse), R(m.StateMse), m.TrainSeconds.ToString("0.0", Inv)));
        File.WriteAllLines(Path.Combine(dir, "results.csv"), lines);

        var solverLines = new List<string> { "task,dynamics,solver,step,function_evaluations,max_energy_error,final_energy_error,seconds" };
        foreach (var s in results.SelectMany(r => r.Solvers))
            solverLines.Add(string.Join(',', s.Task, s.Dynamics, s.Solver, double.IsNaN(s.Step) ? "adaptive" : R(s.Step), s.FunctionEvaluations,
                R(s.MaxEnergyError), R(s.FinalEnergyError), s.Seconds.ToString("0.00", Inv)));
        File.WriteAllLines(Path.Combine(dir, "solver_energy.csv"), solverLines);

        foreach (var r in results) SaveCharts(dir, r);
    }

    static void SaveCharts(string dir, TaskResult r)
    {
        string File(string name) => Path.Combine(dir, $"{r.Task}_{name}.png");
        // Phase portraits from the first test state: true, baseline, HNN, and the training data (clean) behind them.
        var phase = new List<Series>();
        for (int k = 0; k < r.TrainClean.GetLength(1); k++)
            phase.Add(new(k == 0 ? "training trajectories (clean)" : "", Slice(r.TrainClean, k, 0), Slice(r.TrainClean, k, 1), SeriesStyle.Markers, 7));
        phase.Add(new("true", Slice(r.Truth, 0, 0), Slice(r.Truth, 0, 1), SeriesStyle.Dashed, 0));
        phase.Add(new("baseline", Slice(r.BaselineRollout, 0, 0), Slice(r.BaselineRollout, 0, 1), SeriesStyle.Line, 1));
        phase.Add(new("HNN", Slice(r.HnnRollout, 0, 0), Slice(r.HnnRollout, 0, 1), SeriesStyle.Line, 2));
        Charts.SaveLines(File("phase"), $"{r.Task}: phase portrait from a test state, t ∈ [0, {r.RolloutTimes[^1]:0.#}]", "q", "p",
            phase.Where(s => s.Y.All(double.IsFinite)), equalAxes: true);

        Charts.SaveLines(File("energy"), $"{r.Task}: true energy along each rollout (first test state)", "t", "H(q, p)",
        [
            new("true", r.RolloutTimes, Column(r.TrueEnergy, 0), SeriesStyle.Dashed, 0),
            new("baseline", r.RolloutTimes, Column(r.BaselineEnergy, 0), SeriesStyle.Line, 1),
            new("HNN", r.RolloutTimes, Column(r.HnnEnergy, 0), SeriesStyle.Line, 2),
        ]);

        Charts.SaveLines(File("loss"), $"{r.Task}: derivative MSE during training", "step", "MSE",
        [
            new("baseline train", r.Baseline.History.Steps, r.Baseline.History.TrainLoss, SeriesStyle.Line, 1),
            new("baseline test", r.Baseline.History.TestSteps, r.Baseline.History.TestLoss, SeriesStyle.Dashed, 1),
            new("HNN train", r.Hnn.History.Steps, r.Hnn.History.TrainLoss, SeriesStyle.Line, 2),
            new("HNN test", r.Hnn.History.TestSteps, r.Hnn.History.TestLoss, SeriesStyle.Dashed, 2),
        ], logY: true);

        int color = 0;
        var drift = r.Solvers.Where(s => s.Times.Length > 0).Select(s => new Series($"{s.Dynamics}: {s.Solver}", s.Times, s.MeanErrorCurve,
            s.Dynamics == "true" ? SeriesStyle.Dashed : SeriesStyle.Line, color++ % 10)).ToList();
        Charts.SaveLines(File("solver_energy"), $"{r.Task}: |H(t) − H(0)| by solver (true H, and the HNN's own H)", "t", "|ΔH|", drift, logY: true);
    }

    static double[] Slice(double[,,] x, int row, int component) => Enumerable.Range(0, x.GetLength(0)).Select(i => x[i, row, component]).ToArray();

    static double[] Column(double[,] x, int row) => Enumerable.Range(0, x.GetLength(0)).Select(i => x[i, row]).ToArray();
}
