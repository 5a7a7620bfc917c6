namespace NodeDsl.Runtime.Tableaus;

/// <summary>The three-stage Radau IIA method (order 5, stiffly accurate, L-stable).</summary>
public static class RadauIIA5
{
    static readonly double S6 = Math.Sqrt(6);

    /// <summary>
    /// Radau IIA of order 5: collocation at the Radau right points <c>c = ((4 − √6)/10, (4 + √6)/10, 1)</c>, coefficients
    /// in closed form from Hairer &amp; Wanner, Solving ODEs II, Table IV.5.6; error weights
    /// <c>e = (−13 − 7√6, −13 + 7√6, −1)/3</c> of RADAU5's estimate (Hairer &amp; Wanner IV.8, as in scipy's <c>radau.py</c>).
    /// </summary>
    public static RadauCoefficients Coefficients { get; } = new(
        new[,]
        {
            { (88 - 7 * S6) / 360, (296 - 169 * S6) / 1800, (-2 + 3 * S6) / 225 },
            { (296 + 169 * S6) / 1800, (88 + 7 * S6) / 360, (-2 - 3 * S6) / 225 },
            { (16 - S6) / 36, (16 + S6) / 36, 1.0 / 9 },
        },
        [(4 - S6) / 10, (4 + S6) / 10, 1.0],
        [(-13 - 7 * S6) / 3, (-13 + 7 * S6) / 3, -1.0 / 3]);
}
