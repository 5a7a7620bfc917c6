namespace NodeDsl.Numerics;

/// <summary>
/// The coefficients of an explicit Runge–Kutta method as the native integrator reads them (the runtime's validated
/// <c>ButcherTableau</c> is copied in by an adapter): <c>k_i = f(t0 + c_i h, y0 + h Σ_{j&lt;i} a_ij k_j)</c>,
/// <c>y1 = y0 + h Σ b_j k_j</c>, error estimate <c>h Σ e_j k_j</c> with <c>e = b − b̂</c>.
/// </summary>
/// <param name="C">Nodes, one per stage, <c>c[0] = 0</c>.</param>
/// <param name="A">Strictly lower-triangular coupling: row <c>i</c> has <c>i</c> entries.</param>
/// <param name="B">Weights of the propagated solution.</param>
/// <param name="ErrorWeights"><c>b − b̂</c>, or null for fixed-step methods.</param>
/// <param name="ErrorOrder">Order of the embedded solution (the controller's exponent is <c>1 / (ErrorOrder + 1)</c>), or null.</param>
/// <param name="Dense">Continuous extension: <c>Dense[j][p]</c> is the coefficient of <c>θ^(p+1)</c> in <c>b_j(θ)</c>; null for
/// the cubic Hermite interpolant through <c>y0, f0, y1, f1</c>.</param>
public sealed record RungeKuttaTableau(double[] C, double[][] A, double[] B, double[]? ErrorWeights, int? ErrorOrder, double[][]? Dense)
{
    /// <summary>Number of stages.</summary>
    public int Stages => C.Length;

    /// <summary>True for methods with an error estimate (step-size control).</summary>
    public bool IsAdaptive => ErrorWeights is not null;

    /// <summary>
    /// First same as last: the last stage is evaluated at <c>(t0 + h, y1)</c>, so its rates are the next step's <c>f0</c>
    /// and <c>y1</c> is that stage's state (the same test as the runtime's tableau).
    /// </summary>
    public bool IsFsal { get; } = C.Length > 1 && C[^1] == 1 && B[^1] == 0 && A[^1].Select((v, j) => v == B[j]).All(x => x);

    /// <summary>The dense-output weights <c>b_j(θ)</c> into <paramref name="weights"/> (one per stage).</summary>
    public void DenseWeights(double theta, Span<double> weights)
    {
        var dense = Dense ?? throw new InvalidOperationException("This tableau has no continuous extension; use the Hermite interpolant.");
        for (int j = 0; j < dense.Length; j++)
        {
            double power = theta, sum = 0;
            foreach (var coefficient in dense[j]) { sum += coefficient * power; power *= theta; }
            weights[j] = sum;
        }
    }
}
