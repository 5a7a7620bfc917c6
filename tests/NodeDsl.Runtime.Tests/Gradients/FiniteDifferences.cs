using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>Central finite differences of a scalar loss in float64.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// (L(x + εv) − L(x − εv)) / 2ε for a direction v, perturbing <paramref name="x"/> in place (and restoring it).
    /// Truncation error is ε²·|L'''|/6 and round-off ~1e-16·|L|/ε, so ε = 1e-5 gives ~1e-10 relative on smooth losses.
    /// </summary>
    public static double Directional(Func<double> loss, Tensor x, Tensor v, double eps = 1e-5)
    {
        using var noGrad = no_grad();
        ScalarOps.AddInPlace(x, v, eps);
        double plus = loss();
        ScalarOps.AddInPlace(x, v, -2 * eps);
        double minus = loss();
        ScalarOps.AddInPlace(x, v, eps);
        return (plus - minus) / (2 * eps);
    }

    /// <summary>A unit random direction with the shape of <paramref name="x"/>.</summary>
    public static Tensor Direction(Tensor x, long seed)
    {
        var g = new Generator((ulong)seed);
        var v = randn(x.shape, dtype: x.dtype, generator: g);
        return v.div(v.norm());
    }

    /// <summary>
    /// Relative error of a directional derivative: |gᵀv − fd| / ‖g‖. For a unit v, |gᵀv| ≤ ‖g‖, so this measures the
    /// error against the size of the whole gradient and does not blow up when a random direction is nearly orthogonal to g.
    /// </summary>
    public static double RelativeError(Tensor gradient, Tensor direction, double fd)
    {
        double projected = gradient.mul(direction).sum().item<double>();
        double norm = gradient.norm().item<double>();
        return Math.Abs(projected - fd) / Math.Max(norm, 1e-300);
    }
}
