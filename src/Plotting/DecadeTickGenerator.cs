using System.Globalization;
using System.Text;
using ScottPlot;

namespace NodeDsl.Runtime.Plotting;

/// <summary>
/// Ticks for an axis that shows log10 of the data (ScottPlot draws linear axes; log charts plot log10 y): major ticks
/// at whole decades labelled <c>10ⁿ</c>, minor ticks at 2…9 × 10ⁿ. With many decades only every k-th decade is
/// labelled and the others get minor ticks, so labels never crowd.
/// </summary>
public sealed class DecadeTickGenerator : ITickGenerator
{
    /// <summary>The ticks of the last <see cref="Regenerate"/>.</summary>
    public Tick[] Ticks { get; set; } = [];

    /// <summary>Upper bound on the number of labelled decades.</summary>
    public int MaxTickCount { get; set; } = 12;

    /// <summary>Smallest distance between two labelled decades, in pixels.</summary>
    public float MinimumLabelSpacing { get; set; } = 28;

    /// <summary>Computes the ticks for the visible range (in log10 units) of an axis <paramref name="size"/> pixels long.</summary>
    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
    {
        int fit = Math.Max(2, (int)(size.Length / MinimumLabelSpacing));
        Ticks = Generate(range.Min, range.Max, Math.Min(fit, MaxTickCount));
    }

    /// <summary>
    /// Decade ticks on [<paramref name="minLog"/>, <paramref name="maxLog"/>] (log10 units) with at most
    /// <paramref name="maxLabels"/> labelled decades.
    /// </summary>
    public static Tick[] Generate(double minLog, double maxLog, int maxLabels)
    {
        if (!(double.IsFinite(minLog) && double.IsFinite(maxLog)) || maxLog <= minLog) return [];
        // Decades inside the range (a little slack so that a limit computed as log10(10⁻³) still counts as −3).
        const double slack = 1e-9;
        int first = (int)Math.Ceiling(minLog - slack), last = (int)Math.Floor(maxLog + slack);
        int decades = last - first + 1;
        int every = Math.Max(1, (int)Math.Ceiling(decades / (double)Math.Max(1, maxLabels)));
        var ticks = new List<Tick>();
        for (int k = (int)Math.Floor(minLog) - 1; k <= last + 1; k++)
        {
            if (k >= first && k <= last)
            {
                // Label multiples of `every`, so the labelled decades do not shift as the range changes.
                ticks.Add(k % every == 0 ? Tick.Major(k, Label(k)) : Tick.Minor(k));
            }
            // 2…9 × 10ᵏ: only when every decade is labelled, else they crowd.
            if (every == 1)
                for (int m = 2; m <= 9; m++)
                {
                    double position = k + Math.Log10(m);
                    if (position >= minLog && position <= maxLog) ticks.Add(Tick.Minor(position));
                }
        }
        return [.. ticks];
    }

    /// <summary>The label of the decade 10^<paramref name="exponent"/>, e.g. <c>10⁻³</c>.</summary>
    public static string Label(int exponent)
    {
        var text = new StringBuilder("10");
        foreach (char c in exponent.ToString(CultureInfo.InvariantCulture))
            text.Append(c == '-' ? '⁻' : Superscripts[c - '0']);
        return text.ToString();
    }

    const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
}
