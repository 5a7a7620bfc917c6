namespace NodeDsl.Runtime;

/// <summary>
/// The coefficients of an explicit Runge–Kutta method, validated on construction
/// (row sums equal <c>c</c>, <c>Σb = 1</c>, error weights sum to zero), like diffrax's <c>ButcherTableau</c>.
/// </summary>
public sealed class ButcherTableau
{
    const double Tolerance = 1e-12;
    // Dense-output coefficients are published with ~17 significant digits and are then expanded in double.
    const double DenseTolerance = 1e-10;

    /// <summary>Creates and validates a tableau.</summary>
    /// <param name="c">Nodes, <c>c[0] = 0</c>, one per stage.</param>
    /// <param name="a">Strictly lower-triangular coupling: row <c>i</c> has <c>i</c> entries (row 0 is empty).</param>
    /// <param name="b">Weights of the propagated solution, one per stage.</param>
    /// <param name="order">Order of the propagated solution.</param>
    /// <param name="errorWeights">Weights <c>b − b̂</c> of the error estimate (one per stage) or null for fixed-step methods.</param>
    /// <param name="errorOrder">Order of the embedded solution <c>b̂</c>; required with <paramref name="errorWeights"/>.</param>
    /// <param name="dense">Continuous extension: <c>dense[j][p]</c> is the coefficient of <c>θ^(p+1)</c> in <c>b_j(θ)</c>, so
    /// <c>y(t0 + θh) = y0 + h Σ_j b_j(θ) k_j</c>; null to use the cubic Hermite interpolant.</param>
    /// <param name="secondErrorWeights">A second set of error weights (DOP853's 3rd-order estimate), or null.</param>
    /// <param name="denseC">Nodes of extra stages evaluated only when a step's dense output is used (DOP853), or null.</param>
    /// <param name="denseA">Coupling rows of those extra stages over all earlier stages (row <c>e</c> has <c>stages + e</c> entries).
    /// With extra stages, <paramref name="dense"/> has one row per stage including the extra ones.</param>
    /// <exception cref="ArgumentException">The coefficients are inconsistent; the message says which condition fails.</exception>
    public ButcherTableau(double[] c, double[][] a, double[] b, int order,
        double[]? errorWeights = null, int? errorOrder = null, double[][]? dense = null, double[]? secondErrorWeights = null,
        double[]? denseC = null, double[][]? denseA = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int s = c.Length;
        if (s == 0) throw Invalid("the tableau has no stages");
        if (a.Length != s) throw Invalid($"a has {a.Length} rows but c has {s} entries");
        if (b.Length != s) throw Invalid($"b has {b.Length} entries but there are {s} stages");
        if (c[0] != 0) throw Invalid($"c[0] must be 0 for an explicit method but is {c[0]}");
        if (order < 1) throw Invalid($"order must be at least 1 but is {order}");
        for (int i = 0; i < s; i++)
        {
            if (a[i] is null || a[i].Length != i)
                throw Invalid($"row {i} of a must have {i} entries (strictly lower triangular) but has {a[i]?.Length ?? 0}");
            double rowSum = a[i].Sum();
            if (Math.Abs(rowSum - c[i]) > Tolerance)
                throw Invalid($"row {i} of a sums to {rowSum:R} but c[{i}] = {c[i]:R}");
        }
        double bSum = b.Sum();
        if (Math.Abs(bSum - 1) > Tolerance) throw Invalid($"the weights b sum to {bSum:R}, not 1");
        if ((errorWeights is null) != (errorOrder is null))
            throw Invalid("errorWeights and errorOrder must be given together");
        CheckErrorWeights(errorWeights, s, nameof(errorWeights));
        CheckErrorWeights(secondErrorWeights, s, nameof(secondErrorWeights));
        if (secondErrorWeights is not null && errorWeights is null)
            throw Invalid("secondErrorWeights need errorWeights");
        denseC ??= [];
        denseA ??= [];
        if (denseA.Length != denseC.Length) throw Invalid($"denseA has {denseA.Length} rows but denseC has {denseC.Length} entries");
        if (denseC.Length > 0 && dense is null) throw Invalid("extra dense-output stages need dense-output coefficients");
        for (int e = 0; e < denseC.Length; e++)
        {
            if (denseA[e] is null || denseA[e].Length != s + e)
                throw Invalid($"extra dense stage {e} must have {s + e} coupling entries but has {denseA[e]?.Length ?? 0}");
            double rowSum = denseA[e].Sum();
            if (Math.Abs(rowSum - denseC[e]) > Tolerance)
                throw Invalid($"extra dense stage {e} sums to {rowSum:R} but its node is {denseC[e]:R}");
        }
        if (dense is not null)
        {
            if (dense.Length != s + denseC.Length) throw Invalid($"dense has {dense.Length} rows but there are {s + denseC.Length} stages");
            for (int j = 0; j < dense.Length; j++)
            {
                // b_j(1) must reproduce the step's own weights, or the interpolant would jump at step ends.
                double atOne = dense[j].Sum(), expected = j < s ? b[j] : 0;
                if (Math.Abs(atOne - expected) > DenseTolerance)
                    throw Invalid($"dense output of stage {j} at θ = 1 is {atOne:R} but should be {expected:R}");
            }
        }
        (DenseC, DenseA) = (denseC, denseA);
        (C, A, B, Order, ErrorWeights, ErrorOrder, Dense, SecondErrorWeights) =
            (c, a, b, order, errorWeights, errorOrder, dense, secondErrorWeights);
        IsFsal = s > 1 && c[s - 1] == 1 && a[s - 1].Select((v, j) => v == b[j]).All(x => x) && b[s - 1] == 0;
    }

    /// <summary>Nodes <c>c</c>.</summary>
    public IReadOnlyList<double> C { get; }
    /// <summary>Coupling coefficients, row <c>i</c> has <c>i</c> entries.</summary>
    public IReadOnlyList<double[]> A { get; }
    /// <summary>Weights of the propagated solution.</summary>
    public IReadOnlyList<double> B { get; }
    /// <summary>Weights <c>b − b̂</c> of the error estimate, or null.</summary>
    public IReadOnlyList<double>? ErrorWeights { get; }
    /// <summary>Second error weights (DOP853), or null.</summary>
    public IReadOnlyList<double>? SecondErrorWeights { get; }
    /// <summary>Dense-output polynomial coefficients (see the constructor), or null.</summary>
    public IReadOnlyList<double[]>? Dense { get; }
    /// <summary>Nodes of the extra dense-output stages (empty for most methods).</summary>
    public IReadOnlyList<double> DenseC { get; }
    /// <summary>Coupling rows of the extra dense-output stages.</summary>
    public IReadOnlyList<double[]> DenseA { get; }
    /// <summary>Order of the propagated solution.</summary>
    public int Order { get; }
    /// <summary>Order of the embedded solution, or null for fixed-step methods.</summary>
    public int? ErrorOrder { get; }
    /// <summary>Number of stages.</summary>
    public int Stages => C.Count;
    /// <summary>
    /// First same as last: the last stage is evaluated at <c>(t0 + h, y1)</c> (<c>c = 1</c>, last row of <c>a</c> equals <c>b</c>),
    /// so its rates are the next step's <c>f0</c>.
    /// </summary>
    public bool IsFsal { get; }

    void CheckErrorWeights(double[]? e, int s, string name)
    {
        if (e is null) return;
        if (e.Length != s) throw Invalid($"{name} has {e.Length} entries but there are {s} stages");
        // Σ(b − b̂) = 0 because both solutions are consistent (Σb = Σb̂ = 1).
        double sum = e.Sum();
        if (Math.Abs(sum) > Tolerance) throw Invalid($"{name} (b − b̂) sum to {sum:R}, not 0");
    }

    /// <summary>
    /// The coefficients as the native integrator reads them, or null for a method it does not run (DOP853's extra dense
    /// stages and combined two-estimate norm).
    /// </summary>
    internal NodeDsl.Numerics.RungeKuttaTableau? Plain() => DenseC.Count > 0 || SecondErrorWeights is not null
        ? null
        : new([.. C], [.. A.Select(r => r.ToArray())], [.. B], ErrorWeights?.ToArray(), ErrorOrder, Dense?.Select(r => r.ToArray()).ToArray());

    static ArgumentException Invalid(string what) => new($"Invalid Butcher tableau: {what}.");

    /// <summary>
    /// Dense-output coefficients of the quartic that matches <c>y0, y1, h·f0, h·f1</c> and a midpoint value
    /// <c>y(t0 + h/2) = y0 + h Σ cMid_j k_j</c> (torchdiffeq's <c>_interp_fit</c>); needs an FSAL tableau.
    /// </summary>
    public static double[][] QuarticThroughMidpoint(double[] b, double[] cMid)
    {
        int s = b.Length;
        var d = new double[s][];
        for (int j = 0; j < s; j++)
        {
            // b_j(θ) = αθ + βθ² + γθ³ + δθ⁴ with b_j'(0) = [j = 0], b_j(1) = b_j, b_j'(1) = [j = last], b_j(1/2) = cMid_j.
            double alpha = j == 0 ? 1 : 0;
            double u = b[j] - alpha, v = (j == s - 1 ? 1 : 0) - alpha, w = cMid[j] - alpha / 2;
            double delta = 16 * w - 8 * u + 2 * v;
            double gamma = v - 2 * u - 2 * delta;
            double beta = u - gamma - delta;
            d[j] = [alpha, beta, gamma, delta];
        }
        return d;
    }
}
