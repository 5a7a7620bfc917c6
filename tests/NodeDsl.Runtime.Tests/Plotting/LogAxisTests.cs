using NodeDsl.Runtime.Plotting;
using ScottPlot;

namespace NodeDsl.Runtime.Tests.Plotting;

/// <summary>
/// Log axes get decade ticks (labels 10ⁿ at whole decades, minor ticks at 2…9 × 10ⁿ), never fractional exponents such as
/// the old "1e-0.8"; chart legends sit outside the data area.
/// </summary>
public sealed class LogAxisTests
{
    [Fact]
    public void EveryDecadeInRangeIsLabelledAndMinorTicksSitAt2To9TimesIt()
    {
        var ticks = DecadeTickGenerator.Generate(-3.3, 0.2, maxLabels: 12);
        var majors = ticks.Where(t => t.IsMajor).ToArray();
        Assert.Equal([-3.0, -2, -1, 0], majors.Select(t => t.Position));
        Assert.Equal(["10⁻³", "10⁻²", "10⁻¹", "10⁰"], majors.Select(t => t.Label));
        // Minor ticks: log10(m·10ᵏ) for m = 2…9 inside [−3.3, 0.2]: 6…9 × 10⁻⁴ below 10⁻³ (log10(5e-4) = −3.301 is just
        // outside), 8 in each of the three full decades, none above 10⁰ (log10 2 = 0.301 > 0.2).
        var minors = ticks.Where(t => !t.IsMajor).Select(t => t.Position).ToArray();
        double[] expected = [.. Enumerable.Range(-4, 4).SelectMany(k => Enumerable.Range(2, 8).Select(m => k + Math.Log10(m))).Where(p => p >= -3.3 && p <= 0.2)];
        Assert.Equal(expected, minors);
        Assert.DoesNotContain(minors, p => p > 0.2 || p < -3.3);
    }

    [Fact]
    public void ManyDecadesLabelEveryKthAndKeepTheOthersAsMinorTicks()
    {
        var ticks = DecadeTickGenerator.Generate(-12, 0, maxLabels: 5);
        // 13 decades, at most 5 labels: every 3rd decade (ceil(13 / 5) = 3), aligned to multiples of 3.
        Assert.Equal([-12.0, -9, -6, -3, 0], ticks.Where(t => t.IsMajor).Select(t => t.Position));
        Assert.Equal([-11.0, -10, -8, -7, -5, -4, -2, -1], ticks.Where(t => !t.IsMajor).Select(t => t.Position));
    }

    [Theory]
    [InlineData(0, "10⁰")]
    [InlineData(7, "10⁷")]
    [InlineData(-12, "10⁻¹²")]
    public void DecadeLabelsArePowersOfTenWithSuperscriptExponents(int exponent, string label)
        => Assert.Equal(label, DecadeTickGenerator.Label(exponent));

    [Fact]
    public void ALogLineChartSpansWholeDecadesAndLabelsOnlyDecades()
    {
        // A loss curve from 10^0.2 down to 10^-3.3: the axis must run from 10⁻⁴ to 10¹ with a label at each decade.
        double[] epochs = [.. Enumerable.Range(1, 50).Select(i => (double)i)];
        double[] loss = [.. epochs.Select(e => Math.Pow(10, 0.2 - 3.5 * (e - 1) / 49))];
        var plot = Charts.Lines("loss", "epoch", "loss", [new Series("training", epochs, loss)], logY: true);
        plot.RenderInMemory(900, 650);

        var limits = plot.Axes.GetLimits();
        Assert.Equal((-4.0, 1.0), (limits.Bottom, limits.Top));
        var majors = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.Equal([-4.0, -3, -2, -1, 0, 1], majors.Select(t => t.Position).Order());
        Assert.All(majors, t => Assert.Matches("^10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+$", t.Label));
        Assert.Contains(plot.Axes.Left.TickGenerator.Ticks, t => !t.IsMajor);
    }

    [Fact]
    public void ChartLegendsAreDrawnOutsideTheDataArea()
    {
        double[] x = [0, 1, 2];
        var plot = Charts.Lines("energy", "t", "H", [new Series("true", x, [1, 1, 1]), new Series("HNN", x, [1, 1.1, 1.2])]);
        Assert.False(plot.Legend.IsVisible, "the legend inside the data area is hidden");
        Assert.Single(plot.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>());

        // A chart without labelled series gets no legend panel at all.
        var bare = Charts.Lines("energy", "t", "H", [new Series("", x, [1, 1, 1])]);
        Assert.Empty(bare.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>());
    }
}
