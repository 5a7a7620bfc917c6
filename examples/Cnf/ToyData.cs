using NodeDsl.Runtime.Data;

namespace Cnf;

/// <summary>The 2-D toy densities of FFJORD (Grathwohl et al. 2019, Fig. 2; their <c>toy_data.py</c>).</summary>
public enum ToyDensity
{
    /// <summary>Two interleaved half circles with noise σ = 0.1, scaled by 2 and shifted by (−1, −0.2).</summary>
    TwoMoons,
    /// <summary>Eight Gaussians on a circle of radius 4/√2 ≈ 2.83, each with σ = 0.5/√2 ≈ 0.354.</summary>
    EightGaussians,
    /// <summary>Uniform on the 8 dark squares (side 2) of a 4 × 4 checkerboard over [−4, 4]².</summary>
    Checkerboard,
}

/// <summary>Samples of the toy densities and what is known about them.</summary>
public static class ToyData
{
    /// <summary>Command-line name of each density.</summary>
    public static string Name(ToyDensity density) => density switch
    {
        ToyDensity.TwoMoons => "moons",
        ToyDensity.EightGaussians => "8gaussians",
        _ => "checkerboard",
    };

    /// <summary>
    /// The density's entropy in nats where it has a closed form (the lowest test NLL any model can reach), else null:
    /// 8 Gaussians, well separated, <c>log 8 + 1 + log(2π σ²)</c>; checkerboard, uniform on area 32, <c>log 32</c>.
    /// </summary>
    public static double? Entropy(ToyDensity density) => density switch
    {
        ToyDensity.EightGaussians => Math.Log(8) + 1 + Math.Log(2 * Math.PI * 0.125),
        ToyDensity.Checkerboard => Math.Log(32),
        _ => null,
    };

    /// <summary><paramref name="count"/> points, <c>[count, 2]</c> row-major.</summary>
    public static double[] Sample(ToyDensity density, int count, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var points = new double[2 * count];
        for (int i = 0; i < count; i++)
        {
            var (x, y) = density switch
            {
                ToyDensity.TwoMoons => Moon(random),
                ToyDensity.EightGaussians => Gaussian8(random),
                ToyDensity.Checkerboard => Checker(random),
                _ => throw new ArgumentOutOfRangeException(nameof(density), density, "Not a ToyDensity."),
            };
            (points[2 * i], points[2 * i + 1]) = (x, y);
        }
        return points;
    }

    // sklearn's make_moons(noise = 0.1): upper half circle, or the lower one shifted by (1, 0.5); then ×2 + (−1, −0.2).
    static (double, double) Moon(SeededRandom r)
    {
        double angle = Math.PI * r.NextDouble();
        var (x, y) = r.NextDouble() < 0.5 ? (Math.Cos(angle), Math.Sin(angle)) : (1 - Math.Cos(angle), 0.5 - Math.Sin(angle));
        return (2 * (x + 0.1 * r.NextGaussian()) - 1, 2 * (y + 0.1 * r.NextGaussian()) - 0.2);
    }

    static (double, double) Gaussian8(SeededRandom r)
    {
        double angle = 2 * Math.PI * r.NextInt(8) / 8;
        return ((4 * Math.Cos(angle) + 0.5 * r.NextGaussian()) / Math.Sqrt(2), (4 * Math.Sin(angle) + 0.5 * r.NextGaussian()) / Math.Sqrt(2));
    }

    static (double, double) Checker(SeededRandom r)
    {
        double x1 = 4 * r.NextDouble() - 2;
        double x2 = r.NextDouble() - 2 * r.NextInt(2) + Math.Floor(x1) % 2;
        // Math.Floor(x1) % 2 is −1 or 0 for negative x1 (as numpy's % is not): use the positive remainder.
        if (Math.Floor(x1) % 2 < 0) x2 += 2;
        return (2 * x1, 2 * x2);
    }
}
