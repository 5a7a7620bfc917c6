namespace NodeDsl.Runtime;

/// <summary>
/// The coefficients of a Rosenbrock–Wanner method in the transformed form of Hairer &amp; Wanner's RODAS (Solving ODEs II,
/// §IV.7, eq. 7.25; the form of OrdinaryDiffEq.jl's <c>RodasTableau</c>), validated on construction:
/// <c>(I/(hγ) − J) kᵢ = f(t0 + cᵢh, y0 + Σⱼ aᵢⱼkⱼ) + dᵢ h ∂f/∂t + Σⱼ (cᵢⱼ/h) kⱼ</c>, <c>y1 = y0 + Σ bᵢkᵢ</c>, error
/// <c>Σ b̃ᵢkᵢ</c>, and the dense output <c>y(θ) = (1 − θ) y0 + θ (y1 + (1 − θ)(K₁ + θ(K₂ + θK₃)))</c> with
/// <c>K_p = Σᵢ H_pᵢ kᵢ</c>.
/// </summary>
/// <remarks>
/// The transformed coefficients relate to the classical ones (α, Γ, b̂) by <c>Γ⁻¹ = I/γ − C</c>, <c>α = A Γ</c> and
/// <c>b̂ = b Γ</c>; the checks are stated on the classical ones: nodes <c>cᵢ = Σⱼ αᵢⱼ</c>, <c>dᵢ = Σⱼ Γᵢⱼ</c>, and the
/// order-1 and order-2 conditions <c>Σ b̂ᵢ = 1</c>, <c>Σ b̂ᵢ (cᵢ + dᵢ) = 1/2</c> (Hairer &amp; Wanner IV.7, Table 7.1) for the
/// solution, and <c>Σ b̂̃ᵢ = 0</c> for the error weights.
/// </remarks>
public sealed class RosenbrockTableau
{
    const double Tolerance = 1e-12;

    /// <summary>Creates and validates the coefficients.</summary>
    /// <param name="a">Transformed coupling, s×s strictly lower triangular (row-major).</param>
    /// <param name="c">Transformed Jacobian coupling <c>cᵢⱼ</c>, s×s strictly lower triangular.</param>
    /// <param name="gamma">The diagonal γ.</param>
    /// <param name="nodes">Stage times cᵢ.</param>
    /// <param name="d">Time-derivative weights dᵢ.</param>
    /// <param name="dense">Dense-output rows H (three rows of s).</param>
    /// <param name="b">Solution weights.</param>
    /// <param name="errorWeights">Error weights b̃.</param>
    /// <param name="order">Order of the solution.</param>
    /// <param name="errorOrder">Order of the embedded solution.</param>
    public RosenbrockTableau(double[,] a, double[,] c, double gamma, double[] nodes, double[] d, double[,] dense, double[] b, double[] errorWeights,
        int order, int errorOrder)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(errorWeights);
        int s = nodes.Length;
        if (a.GetLength(0) != s || a.GetLength(1) != s || c.GetLength(0) != s || c.GetLength(1) != s || d.Length != s || b.Length != s
            || errorWeights.Length != s || dense.GetLength(1) != s || dense.GetLength(0) != 3)
            throw Invalid("an s-stage method needs s×s matrices a and c, s nodes, d, b and error weights, and 3×s dense rows");
        if (!(gamma > 0)) throw Invalid($"γ must be positive, got {gamma}");
        for (int i = 0; i < s; i++)
            for (int j = i; j < s; j++)
                if (a[i, j] != 0 || c[i, j] != 0) throw Invalid($"a and c must be strictly lower triangular (entry ({i}, {j}))");

        // Classical coefficients: Γ = (I/γ − C)⁻¹ by forward substitution, α = A Γ.
        var g = new double[s, s];
        for (int col = 0; col < s; col++)
            for (int i = col; i < s; i++)
            {
                double sum = i == col ? 1 : 0;
                for (int k = col; k < i; k++) sum += c[i, k] * g[k, col];
                g[i, col] = sum * gamma;
            }
        var bHat = new double[s];
        var eHat = new double[s];
        for (int i = 0; i < s; i++)
        {
            double alpha = 0, rowSum = 0;
            for (int k = 0; k < s; k++) alpha += Enumerable.Range(0, s).Sum(j => a[i, j] * g[j, k]);
            for (int k = 0; k < s; k++) rowSum += g[i, k];
            Check(alpha, nodes[i], $"stage {i + 1}: Σⱼ αᵢⱼ must equal cᵢ");
            Check(rowSum, d[i], $"stage {i + 1}: Σⱼ Γᵢⱼ must equal dᵢ");
            for (int k = 0; k < s; k++)
            {
                bHat[i] += b[k] * g[k, i];
                eHat[i] += errorWeights[k] * g[k, i];
            }
        }
        Check(bHat.Sum(), 1, "Σ b̂ must equal 1 (order 1)");
        Check(Enumerable.Range(0, s).Sum(i => bHat[i] * (nodes[i] + d[i])), 0.5, "Σ b̂ᵢ(cᵢ + dᵢ) must equal 1/2 (order 2)");
        Check(eHat.Sum(), 0, "the error weights must sum to 0 in classical form");

        (A, C, Gamma, Nodes, D, Dense, B, ErrorWeights, Order, ErrorOrder) =
            ((double[,])a.Clone(), (double[,])c.Clone(), gamma, (double[])nodes.Clone(), (double[])d.Clone(), (double[,])dense.Clone(),
             (double[])b.Clone(), (double[])errorWeights.Clone(), order, errorOrder);
    }

    /// <summary>Number of stages.</summary>
    public int Stages => Nodes.Count;
    /// <summary>Transformed coupling aᵢⱼ.</summary>
    public double[,] A { get; }
    /// <summary>Transformed Jacobian coupling cᵢⱼ.</summary>
    public double[,] C { get; }
    /// <summary>The diagonal γ.</summary>
    public double Gamma { get; }
    /// <summary>Stage times.</summary>
    public IReadOnlyList<double> Nodes { get; }
    /// <summary>Time-derivative weights.</summary>
    public IReadOnlyList<double> D { get; }
    /// <summary>Dense-output rows H (3×s).</summary>
    public double[,] Dense { get; }
    /// <summary>Solution weights.</summary>
    public IReadOnlyList<double> B { get; }
    /// <summary>Error weights.</summary>
    public IReadOnlyList<double> ErrorWeights { get; }
    /// <summary>Order of the solution.</summary>
    public int Order { get; }
    /// <summary>Order of the embedded solution.</summary>
    public int ErrorOrder { get; }

    static void Check(double actual, double expected, string what)
    {
        if (!(Math.Abs(actual - expected) <= Tolerance * Math.Max(1, Math.Abs(expected))))
            throw Invalid($"{what} (got {actual:R}, expected {expected:R})");
    }

    static ArgumentException Invalid(string what) => new($"Invalid Rosenbrock tableau: {what}.");
}
