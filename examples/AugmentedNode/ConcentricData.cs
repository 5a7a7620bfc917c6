namespace AugmentedNode;

/// <summary>
/// The concentric-annuli classification g(x) of Dupont et al. (2019), §4.1, in 2-D: label −1 for ‖x‖ ≤ 0.5 and +1 for
/// 1.0 ≤ ‖x‖ ≤ 1.5. No homeomorphism of the plane followed by a linear map separates them, so a plain NODE must
/// distort the plane strongly (its flow becomes stiff and its NFE grows) while an ANODE can lift one class out.
/// </summary>
/// <param name="Points">Inputs, <c>[n, 2]</c> row-major (x₁, x₂).</param>
/// <param name="Labels">±1 per point.</param>
public sealed record ConcentricData(double[,] Points, double[] Labels)
{
    /// <summary>Radius of the inner disc (label −1).</summary>
    public const double InnerRadius = 0.5;
    /// <summary>Inner and outer radius of the annulus (label +1).</summary>
    public const double AnnulusFrom = 1.0, AnnulusTo = 1.5;

    /// <summary>Number of points.</summary>
    public int Count => Labels.Length;

    /// <summary>
    /// Draws <paramref name="inner"/> points uniformly (in area) in the disc and <paramref name="outer"/> in the annulus,
    /// inner points first. Uniform in area: r = √(r₀² + u (r₁² − r₀²)) with u ~ U(0, 1), angle ~ U(0, 2π).
    /// </summary>
    public static ConcentricData Sample(int inner, int outer, long seed)
    {
        if (inner <= 0 || outer <= 0)
            throw new ArgumentException($"Both classes need points, but inner = {inner} and outer = {outer}; pass positive counts.");
        var rng = new Random(unchecked((int)seed));
        var points = new double[inner + outer, 2];
        var labels = new double[inner + outer];
        for (int i = 0; i < inner + outer; i++)
        {
            bool isInner = i < inner;
            var (r0, r1) = isInner ? (0.0, InnerRadius) : (AnnulusFrom, AnnulusTo);
            double r = System.Math.Sqrt(r0 * r0 + rng.NextDouble() * (r1 * r1 - r0 * r0));
            double angle = 2 * System.Math.PI * rng.NextDouble();
            points[i, 0] = r * System.Math.Cos(angle);
            points[i, 1] = r * System.Math.Sin(angle);
            labels[i] = isInner ? -1 : 1;
        }
        return new ConcentricData(points, labels);
    }

    /// <summary>The label g(x) of a point (NaN in the gap 0.5 &lt; ‖x‖ &lt; 1 and beyond 1.5, where g is undefined).</summary>
    public static double Label(double x1, double x2)
    {
        double r = System.Math.Sqrt(x1 * x1 + x2 * x2);
        return r <= InnerRadius ? -1 : r >= AnnulusFrom && r <= AnnulusTo ? 1 : double.NaN;
    }
}
