using NodeDsl.Runtime.Export;
using NodeDsl.Runtime.Plotting;
using SurrogateLibrary;

namespace SurrogateConsumer;

/// <summary>One row of the consumer's table: a prediction at the last time and its error against the closed form.</summary>
public sealed record ConsumerRow(double Zeta, double X0, double V0, double XEnd, double VEnd, double MaxError, int Violations);

/// <summary>What the consumer did: the table rows, the message of the range check, and the PNG it wrote.</summary>
public sealed record ConsumerResult(IReadOnlyList<ConsumerRow> Rows, WeightMetadata Metadata, string? RangeWarning, string RangeError, string PlotPath);

/// <summary>
/// Uses the packaged surrogate the way an application would: build it, read its metadata, predict a few damping
/// ratios, and see the range check fire for ζ outside the trained range (as a warning, then as an exception).
/// </summary>
public static class ConsumerDemo
{
    /// <summary>Damping ratios asked for; the last is outside the trained range [0.05, 0.5].</summary>
    public static readonly double[] Zetas = [0.1, 0.25, 0.4, 0.8];

    public static ConsumerResult Run(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var times = Enumerable.Range(0, 41).Select(i => 0.125 * i).ToArray();   // [0, 5], the trained window
        using var surrogate = new DampedOscillatorSurrogate();
        string? warning = null;
        surrogate.RangeWarning += (_, e) => warning = e.Message;

        var rows = new List<ConsumerRow>();
        var series = new List<Series>();
        const double x0 = 0.8, v0 = 0.0;
        for (int k = 0; k < Zetas.Length; k++)
        {
            var p = surrogate.Predict(x0, v0, Zetas[k], times);
            double maxError = 0;
            var exact = new double[times.Length];
            for (int i = 0; i < times.Length; i++)
            {
                var (x, v) = OscillatorPhysics.Exact(x0, v0, Zetas[k], times[i]);
                exact[i] = x;
                maxError = Math.Max(maxError, Math.Max(Math.Abs(p.Position[i] - x), Math.Abs(p.Velocity[i] - v)));
            }
            rows.Add(new ConsumerRow(Zetas[k], x0, v0, p.Position[^1], p.Velocity[^1], maxError, p.RangeViolations.Count));
            series.Add(new Series($"ζ = {Zetas[k]} exact", times, exact, SeriesStyle.Dashed, k));
            series.Add(new Series($"ζ = {Zetas[k]} surrogate{(p.RangeViolations.Count > 0 ? " (out of range)" : "")}", times, p.Position, SeriesStyle.Line, k));
        }

        surrogate.RangePolicy = RangePolicy.Throw;
        string error;
        try
        {
            surrogate.Predict(x0, v0, 0.8, times);
            error = "(no exception)";
        }
        catch (SurrogateRangeException e) { error = e.Message; }

        var plot = Path.Combine(outputDirectory, "surrogate_predictions.png");
        Charts.SaveLines(plot, "Damped oscillator surrogate: x(t) from (0.8, 0)", "t", "x", series);
        return new ConsumerResult(rows, surrogate.Metadata, warning, error, plot);
    }
}
