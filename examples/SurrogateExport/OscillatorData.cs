using NodeDsl.Runtime.Data;
using SurrogateLibrary;

namespace SurrogateExport;

/// <summary>Trajectories of the damped oscillator from its closed form (no noise): one per (ζ, initial state).</summary>
public static class OscillatorData
{
    /// <summary>Training set: <c>ZetaCount</c> evenly spaced ζ, <c>StatesPerZeta</c> random initial states each.</summary>
    public static TrajectoryDataset Training(SurrogateExportOptions o)
    {
        var rng = new Random(unchecked((int)o.Seed));
        var cases = new List<(double Zeta, double X0, double V0)>();
        for (int k = 0; k < o.ZetaCount; k++)
        {
            double zeta = o.ZetaCount == 1 ? o.ZetaMin : o.ZetaMin + (o.ZetaMax - o.ZetaMin) * k / (o.ZetaCount - 1);
            for (int s = 0; s < o.StatesPerZeta; s++) cases.Add((zeta, rng.NextDouble() * 2 - 1, rng.NextDouble() * 4 - 2));
        }
        return Dataset(cases, o.EndTime, o.Points);
    }

    /// <summary>One trajectory per case on <paramref name="points"/> even times over [0, <paramref name="endTime"/>].</summary>
    public static TrajectoryDataset Dataset(IEnumerable<(double Zeta, double X0, double V0)> cases, double endTime, int points)
    {
        var times = Times(endTime, points);
        var trajectories = cases.Select((c, n) =>
        {
            var values = new double[points, 2];
            for (int i = 0; i < points; i++) (values[i, 0], values[i, 1]) = OscillatorPhysics.Exact(c.X0, c.V0, c.Zeta, times[i]);
            return new Trajectory($"zeta={c.Zeta:0.###}#{n}", times, values, inputs: [c.Zeta]);
        }).ToArray();
        return new TrajectoryDataset(["x", "v"], ["zeta"], trajectories);
    }

    /// <summary><paramref name="points"/> evenly spaced times on [0, <paramref name="endTime"/>].</summary>
    public static double[] Times(double endTime, int points) => Enumerable.Range(0, points).Select(i => endTime * i / (points - 1)).ToArray();
}
