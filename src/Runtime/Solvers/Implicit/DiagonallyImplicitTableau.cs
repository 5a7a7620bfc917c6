namespace NodeDsl.Runtime;

/// <summary>
/// Butcher tableau of an ESDIRK method (explicit first stage, singly diagonally implicit after it), with an
/// embedded solution for error estimation and a predictor for the Newton start values. Validates itself on
/// construction (row sums equal <c>c</c>, Σb = 1, Σb_error = 0, constant diagonal γ), as diffrax's
/// <c>ButcherTableau</c> does.
/// </summary>
/// <remarks>
/// Stage <c>i</c> solves <c>Zᵢ = y0 + h Σ_{j&lt;i} a_ij kⱼ + h γ f(t0 + cᵢh, Zᵢ)</c> and <c>kᵢ = f(Zᵢ)</c>
/// (Hairer &amp; Wanner, Solving ODEs II, §IV.6); <c>y1 = y0 + h Σ bⱼkⱼ</c>.
/// </remarks>
public sealed class DiagonallyImplicitTableau
{
    const double Tolerance = 1e-14;

    /// <summary>Creates and validates a tableau.</summary>
    /// <param name="lower">Strictly lower part: row <c>i</c> (stage i+1, i = 0..s-2) holds <c>a_(i+1),0 … a_(i+1),i</c>.</param>
    /// <param name="gamma">The diagonal entry of stages 2..s (stage 1 is explicit).</param>
    /// <param name="b">Weights of the propagated solution, length s.</param>
    /// <param name="bError">Weights of the error estimate <c>b − b̂</c>, length s.</param>
    /// <param name="c">Nodes, length s, <c>c[0] = 0</c>.</param>
    /// <param name="predictor">Start-value weights: row <c>i</c> predicts <c>k_(i+1) ≈ Σ_j α_(i+1),j kⱼ</c>; each row must sum to 1.</param>
    /// <param name="order">Order of the propagated solution.</param>
    /// <param name="errorOrder">Order of the embedded solution.</param>
    public DiagonallyImplicitTableau(double[][] lower, double gamma, double[] b, double[] bError, double[] c,
        double[][] predictor, int order, int errorOrder)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(bError);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(predictor);
        int s = b.Length;
        if (s < 2 || bError.Length != s || c.Length != s || lower.Length != s - 1 || predictor.Length != s - 1)
            throw new ArgumentException("An s-stage tableau needs s−1 lower rows and predictor rows and s weights, error weights and nodes.");
        if (!(gamma > 0)) throw new ArgumentException($"The diagonal γ must be positive for an A-stable method, got {gamma}.", nameof(gamma));
        if (c[0] != 0) throw new ArgumentException("The first stage of an ESDIRK method is explicit: c[0] must be 0.", nameof(c));
        for (int i = 1; i < s; i++)
        {
            if (lower[i - 1].Length != i || predictor[i - 1].Length != i)
                throw new ArgumentException($"Row of stage {i + 1} must have {i} entries below the diagonal.");
            Check(lower[i - 1].Sum() + gamma, c[i], $"row sum of stage {i + 1} must equal c[{i}]");
            Check(predictor[i - 1].Sum(), 1.0, $"predictor row of stage {i + 1} must sum to 1");
        }
        Check(b.Sum(), 1.0, "Σb must equal 1");
        Check(bError.Sum(), 0.0, "Σb_error must equal 0");

        Lower = lower.Select(r => (double[])r.Clone()).ToArray();
        Predictor = predictor.Select(r => (double[])r.Clone()).ToArray();
        (Gamma, B, BError, C, Order, ErrorOrder) = (gamma, (double[])b.Clone(), (double[])bError.Clone(), (double[])c.Clone(), order, errorOrder);
        // Stiffly accurate: b equals the last row of A, so y1 is the last stage value (Hairer & Wanner IV.6).
        IsStifflyAccurate = Math.Abs(b[^1] - gamma) <= Tolerance
                            && b.Take(s - 1).Zip(lower[^1]).All(p => Math.Abs(p.First - p.Second) <= Tolerance);
    }

    /// <summary>Number of stages s.</summary>
    public int Stages => B.Count;
    /// <summary>Diagonal entry γ of the implicit stages.</summary>
    public double Gamma { get; }
    /// <summary>Strictly lower part of A, one row per implicit stage (see the constructor).</summary>
    public IReadOnlyList<double[]> Lower { get; }
    /// <summary>Predictor weights for the Newton start values, one row per implicit stage.</summary>
    public IReadOnlyList<double[]> Predictor { get; }
    /// <summary>Solution weights.</summary>
    public IReadOnlyList<double> B { get; }
    /// <summary>Error weights <c>b − b̂</c>.</summary>
    public IReadOnlyList<double> BError { get; }
    /// <summary>Nodes.</summary>
    public IReadOnlyList<double> C { get; }
    /// <summary>Order of the propagated solution.</summary>
    public int Order { get; }
    /// <summary>Order of the embedded solution.</summary>
    public int ErrorOrder { get; }
    /// <summary>True when <c>b</c> is the last row of A, so <c>y1</c> is the last stage and <c>f(y1)</c> is its <c>k</c>.</summary>
    public bool IsStifflyAccurate { get; }

    /// <summary>The full <c>a_ij</c> (i, j zero-based, j ≤ i), diagonal included.</summary>
    public double A(int i, int j) => j == i ? (i == 0 ? 0.0 : Gamma) : j < i ? Lower[i - 1][j] : 0.0;

    static void Check(double actual, double expected, string what)
    {
        if (Math.Abs(actual - expected) > Tolerance)
            throw new ArgumentException($"Invalid tableau: {what} (got {actual:R}, expected {expected:R}).");
    }
}
