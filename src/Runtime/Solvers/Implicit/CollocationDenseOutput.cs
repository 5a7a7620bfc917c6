using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The collocation polynomial of one Radau IIA step, <c>u(θ) = y0 + Σᵢ ℓᵢ(θ) Zᵢ</c> with <c>u(cᵢ) = y0 + Zᵢ</c>: the
/// method's own continuous extension (Hairer &amp; Wanner, Solving ODEs II, §IV.8 "dense output"), of order 3 (the stage
/// order) between step ends, and the source of the next step's Newton start values (<see cref="Extrapolate"/>).
/// </summary>
internal sealed class CollocationDenseOutput(RadauCoefficients coefficients, Tensor y0, Tensor z) : IDenseOutput
{
    /// <inheritdoc />
    public Tensor At(double theta) => Combine(y0, coefficients.DenseWeights(theta), z);

    /// <inheritdoc />
    public Tensor At(Tensor theta)
    {
        // ℓ(θ) per row: [θ, θ², θ³] · Denseᵀ, then Σᵢ ℓᵢ Zᵢ per row.
        var powers = torch.cat([theta, ScalarOps.Square(theta), ScalarOps.Pow(theta, 3)], 1);
        var dense = DenseMatrix(coefficients, theta.dtype, theta.device);
        var weights = powers.mm(dense.t());
        return y0.add(torch.einsum("bi,ibn->bn", weights, z), ScalarOps.One);
    }

    /// <summary>
    /// Newton start values for a step of <c>ratio · h</c> that begins where this one ends: <c>Zᵢ⁰ = u(1 + cᵢ·ratio) − u(1)</c>
    /// (RADAU5's start values), <c>[3, batch, n]</c>. <paramref name="ratio"/> is one value, or one per row.
    /// </summary>
    public static Tensor Extrapolate(RadauCoefficients coefficients, Tensor z, double[] ratio)
    {
        var end = coefficients.DenseWeights(1);
        if (ratio.Length == 1)
        {
            var w = new double[9];
            for (int i = 0; i < 3; i++)
            {
                var at = coefficients.DenseWeights(1 + coefficients.C[i] * ratio[0]);
                for (int j = 0; j < 3; j++) w[3 * i + j] = at[j] - end[j];
            }
            var weights = torch.tensor(w, new long[] { 3, 3 }, z.dtype, z.device);
            return weights.mm(z.view(3, -1)).view(z.shape);
        }
        var rows = new double[ratio.Length * 9];
        for (int b = 0; b < ratio.Length; b++)
            for (int i = 0; i < 3; i++)
            {
                var at = coefficients.DenseWeights(1 + coefficients.C[i] * ratio[b]);
                for (int j = 0; j < 3; j++) rows[9 * b + 3 * i + j] = at[j] - end[j];
            }
        var perRow = torch.tensor(rows, new long[] { ratio.Length, 3, 3 }, z.dtype, z.device);
        return torch.einsum("bij,jbn->ibn", perRow, z);
    }

    /// <summary><c>y0 + Σᵢ wᵢ Zᵢ</c> with host weights: one small matrix product.</summary>
    internal static Tensor Combine(Tensor y0, double[] w, Tensor z)
    {
        var weights = torch.tensor(w, new long[] { 1, 3 }, z.dtype, z.device);
        return y0.add(weights.mm(z.view(3, -1)).view(y0.shape), ScalarOps.One);
    }

    static Tensor DenseMatrix(RadauCoefficients coefficients, ScalarType dtype, Device device)
    {
        var d = coefficients.Dense;
        return torch.tensor(new[] { d[0, 0], d[0, 1], d[0, 2], d[1, 0], d[1, 1], d[1, 2], d[2, 0], d[2, 1], d[2, 2] },
            new long[] { 3, 3 }, dtype, device);
    }
}
