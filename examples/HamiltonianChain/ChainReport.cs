using System.Globalization;
using NodeDsl.Runtime.Plotting;

namespace HamiltonianChain;

/// <summary>results.csv, rollouts.csv and the PNGs.</summary>
public static class ChainReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    static string R(double v) => v.ToString("R", Inv);

    /// <summary>Writes every output of <paramref name="r"/> to <paramref name="dir"/>.</summary>
    public static void Save(string dir, ChainResult r)
    {
        var lines = new List<string> { "formulation,epochs,seconds_per_epoch,train_seconds,k,beta,initial_loss,final_loss,rates_us_batch16,vjp_us_batch16,rates_us_batch256,vjp_us_batch256" };
        foreach (var f in new[] { r.Scalar, r.Vec, r.VecOde })
        {
            var small = r.Calls.Single(c => c.Formulation == f.Formulation && c.Batch == 16);
            var large = r.Calls.Single(c => c.Formulation == f.Formulation && c.Batch == 256);
            lines.Add(string.Join(',', f.Formulation, f.History.Count, R(f.SecondsPerEpoch), R(f.TotalSeconds), R(f.K), R(f.Beta), R(f.InitialLoss), R(f.FinalLoss),
                R(small.RatesMicroseconds), R(small.VjpMicroseconds), R(large.RatesMicroseconds), R(large.VjpMicroseconds)));
        }
        File.WriteAllLines(Path.Combine(dir, "results.csv"), lines);

        var rollouts = new List<string> { "solver,step,function_evaluations,trajectory_rmse,trajectory_rmse_first_20s,max_energy_drift,final_energy_drift,seconds" };
        foreach (var s in r.Rollouts)
            rollouts.Add(string.Join(',', s.Solver, double.IsNaN(s.Step) ? "adaptive" : R(s.Step), s.FunctionEvaluations, R(s.TrajectoryRmse), R(s.ShortRmse),
                R(s.MaxEnergyDrift), R(s.FinalEnergyDrift), s.Seconds.ToString("0.00", Inv)));
        File.WriteAllLines(Path.Combine(dir, "rollouts.csv"), rollouts);

        string Png(string name) => Path.Combine(dir, name + ".png");
        Charts.SaveLines(Png("loss"), "Training loss: one fit written as a Vec Hamiltonian, 8 scalar pairs and a Vec ODE", "epoch", "MSE",
        [
            new("scalar pairs", r.Scalar.History.Select(h => (double)h.Epoch).ToArray(), r.Scalar.History.Select(h => h.Loss).ToArray(), SeriesStyle.Dashed, 0),
            new("vec", r.Vec.History.Select(h => (double)h.Epoch).ToArray(), r.Vec.History.Select(h => h.Loss).ToArray(), SeriesStyle.Line, 1),
            new("vec ODE (forces by hand)", r.VecOde.History.Select(h => (double)h.Epoch).ToArray(), r.VecOde.History.Select(h => h.Loss).ToArray(), SeriesStyle.Dashed, 2),
        ], logY: true);

        // The first mass over the first 40 s (or the whole rollout if shorter): true chain against the fitted model.
        int shown = Array.FindLastIndex(r.RolloutTimes, t => t <= 40) + 1;
        var first = new List<Series> { new("true chain", r.RolloutTimes[..shown], r.TrueFirstMass[..shown], SeriesStyle.Dashed, 0) };
        int color = 1;
        foreach (var s in r.Rollouts) first.Add(new($"fitted, {s.Solver}", r.RolloutTimes[..shown], s.FirstMass[..shown], SeriesStyle.Line, color++));
        Charts.SaveLines(Png("first_mass"), "Displacement of the first mass: true FPU-β chain and the fitted Vec model", "t [s]", "q[0] [m]", first);

        color = 1;
        Charts.SaveLines(Png("energy_drift"), "Relative drift of the fitted model's energy along its rollout, by solver", "t [s]", "|H(t) − H(0)| / H(0)",
            r.Rollouts.Select(s => new Series(s.Solver, r.RolloutTimes[1..], s.EnergyDriftCurve[1..].Select(v => System.Math.Max(v, 1e-17)).ToArray(),
                SeriesStyle.Line, color++)), logY: true);
    }
}
