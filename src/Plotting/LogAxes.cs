using ScottPlot;

namespace NodeDsl.Runtime.Plotting;

/// <summary>
/// Logarithmic vertical axes. ScottPlot's axes are linear, so a log chart plots log10 of its values; this puts decade
/// ticks (<see cref="DecadeTickGenerator"/>) and faint minor grid lines on such an axis and widens its limits to whole
/// decades, so at least two labelled decades are always visible.
/// </summary>
public static class LogAxes
{
    /// <summary>
    /// Makes the left axis of <paramref name="plot"/> a decade axis for data whose log10 lies in
    /// [<paramref name="minLog"/>, <paramref name="maxLog"/>].
    /// </summary>
    public static void DecadeY(Plot plot, double minLog, double maxLog)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (!(double.IsFinite(minLog) && double.IsFinite(maxLog)) || maxLog < minLog)
            throw new ArgumentException($"The log10 range [{minLog}, {maxLog}] is not a finite interval.");
        plot.Axes.Left.TickGenerator = new DecadeTickGenerator();
        var (low, high) = DecadeLimits(minLog, maxLog);
        plot.Axes.SetLimitsY(low, high);
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
    }

    /// <summary>
    /// The whole decades around [<paramref name="minLog"/>, <paramref name="maxLog"/>], padded by 1 % of a decade so that
    /// a curve never runs along the frame: e.g. 10⁻³·³ … 10⁰·² gives 10⁻⁴ … 10¹.
    /// </summary>
    public static (double Low, double High) DecadeLimits(double minLog, double maxLog)
        => (Math.Floor(minLog - 0.01), Math.Ceiling(maxLog + 0.01));
}
