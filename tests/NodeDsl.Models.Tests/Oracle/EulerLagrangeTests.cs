using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Oracle;

/// <summary>
/// The accelerations of generated Lagrangian models against mathematics: hand-derived Euler–Lagrange equations of the
/// pendulum and the double pendulum, finite differences of the model's own scalar Lagrangian for a network Lagrangian,
/// and the error for a singular mass matrix.
/// </summary>
public class EulerLagrangeTests
{
    const int Points = 64;

    static (Tensor Y, double[] Data) Sample(int seed, int width, double scale = 1.5)
    {
        var rng = new Random(seed);
        var data = Enumerable.Range(0, Points * width).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();
        return (tensor(data, new long[] { Points, width }, float64), data);
    }

    static double[] Rates(OdeModel model, Tensor y, double t = 0.0)
    {
        using var noGrad = no_grad();
        return model.Rates(tensor(t, float64), y).contiguous().data<double>().ToArray();
    }

    [Fact]
    public void PendulumAccelerationIsMinusGOverLSinQ()
    {
        // L = m l² q̇²/2 + m g l cos q  ⇒  m l² q̈ = −m g l sin q  ⇒  q̈ = −(g/l) sin q; q' = q̇.
        // Both sides are float64 evaluations of the same quotient with a different operation order: 1e-12 relative.
        var model = new LagrangianPendulum(ModelOptions.Float64(1));
        var (y, data) = Sample(3, 2);
        var rates = Rates(model, y);
        for (int i = 0; i < Points; i++)
        {
            double q = data[2 * i], qDot = data[2 * i + 1];
            Assert.Equal(qDot, rates[2 * i], 15);
            var expected = -9.81 / 0.8 * Math.Sin(q);
            Assert.True(OracleCheck.RelativeError(rates[2 * i + 1], expected) <= 1e-12, $"row {i}: {rates[2 * i + 1]:R} vs {expected:R}");
        }
    }

    [Fact]
    public void DoublePendulumMatchesTheHandDerivedEquations()
    {
        // With Δ = q1 − q2 the Euler–Lagrange equations of the double pendulum are
        //   (m1+m2) l1² q̈1 + m2 l1 l2 cos Δ q̈2 = −m2 l1 l2 q̇2² sin Δ − (m1+m2) g l1 sin q1
        //   m2 l1 l2 cos Δ q̈1 + m2 l2² q̈2      =  m2 l1 l2 q̇1² sin Δ − m2 g l2 sin q2,
        // solved here by Cramer's rule. det ≥ m1 m2 l1² l2² > 0, so the 2×2 solve is well conditioned and the generated
        // LU solve agrees to rounding; 1e-11 relative allows for the different operation order.
        const double m1 = 1.0, m2 = 0.7, l1 = 1.1, l2 = 0.9, g = 9.81;
        var model = new DoublePendulumLagrangian(ModelOptions.Float64(1));
        var (y, data) = Sample(4, 4, 2.5);
        var rates = Rates(model, y);
        for (int i = 0; i < Points; i++)
        {
            double q1 = data[4 * i], q2 = data[4 * i + 1], w1 = data[4 * i + 2], w2 = data[4 * i + 3];
            double d = q1 - q2;
            double a = (m1 + m2) * l1 * l1, b = m2 * l1 * l2 * Math.Cos(d), c = m2 * l2 * l2;
            double r1 = -m2 * l1 * l2 * w2 * w2 * Math.Sin(d) - (m1 + m2) * g * l1 * Math.Sin(q1);
            double r2 = m2 * l1 * l2 * w1 * w1 * Math.Sin(d) - m2 * g * l2 * Math.Sin(q2);
            double det = a * c - b * b;
            double[] expected = [w1, w2, (r1 * c - b * r2) / det, (a * r2 - b * r1) / det];
            for (int j = 0; j < 4; j++)
                Assert.True(OracleCheck.RelativeError(rates[4 * i + j], expected[j]) <= 1e-11,
                    $"row {i}, component {model.Layout.ComponentNames[j]}: {rates[4 * i + j]:R} vs {expected[j]:R}");
        }
    }

    [Fact]
    public void NetworkLagrangianMatchesFiniteDifferencesOfItsScalarLagrangian()
        => AssertMatchesFiniteDifferences(new NeuralLagrangian(ModelOptions.Float64(7)), n: 2);

    [Fact]
    public void LearnedLagrangianReadingAllOfYMatchesFiniteDifferences()
        => AssertMatchesFiniteDifferences(new LearnedLagrangian(ModelOptions.Float64(8)), n: 1);

    [Fact]
    public void VecChainMatchesFiniteDifferencesOfItsScalarLagrangian()
        => AssertMatchesFiniteDifferences(new LagrangianChain(ModelOptions.Float64(9)), n: 4);

    [Fact]
    public void VecBesideScalarWithTimeMatchesFiniteDifferences()
        => AssertMatchesFiniteDifferences(new CoupledVecLagrangian(ModelOptions.Float64(10)), n: 3);

    [Fact]
    public void VecNetworkLagrangianMatchesFiniteDifferences()
        => AssertMatchesFiniteDifferences(new NeuralVecLagrangian(ModelOptions.Float64(11)), n: 3);

    [Fact]
    public void ChainWrittenOverScalarsAndOverAVecAgree()
    {
        // The same Lagrangian, derived by the scalar forward-mode path and by the Vec reverse-mode path: only the order of
        // float64 operations differs (a few dozen per entry of M, C and ∇qL, then the same 4×4 LU solve), so 1e-13
        // relative to the largest rate is rounding, while any wrong or missing term moves a rate by O(0.1).
        var vec = new LagrangianChain(ModelOptions.Float64(1));
        var scalars = new LagrangianChainScalars(ModelOptions.Float64(1));
        var (y, _) = Sample(12, 8, 1.0);
        var a = Rates(vec, y);
        var b = Rates(scalars, y);
        double scale = b.Max(Math.Abs);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-13 * scale, $"entry {i} (row {i / 8}, {vec.Layout.ComponentNames[i % 8]}): {a[i]:R} vs {b[i]:R}");
        // The scalar oracles of the two models agree as well.
        var row = y[0].data<double>().ToArray();
        var sa = vec.ScalarRates(0.0, row);
        var sb = scalars.ScalarRates(0.0, row);
        for (int i = 0; i < sa.Length; i++) Assert.Equal(sb[i], sa[i], 1e-13 * scale);
    }

    [Fact]
    public void SingularMassMatrixOfAVecNamesTheComponents()
    {
        // M = diag(q₀², q₁²): row 1 has q₁ = 0, so the row of qDot[1] vanishes there; row 0 is regular.
        var model = new DegenerateVecLagrangian(ModelOptions.Float64(1));
        var y = tensor(new double[,] { { 0.5, 0.4, 0.1, 0.2 }, { 0.3, 0.0, 0.1, 0.1 } }, float64);
        var error = Assert.Throws<SingularMassMatrixException>(() => Rates(model, y));
        Assert.Equal([1L], error.Rows);
        Assert.Equal(["qDot[1]"], error.Velocities);
        var scalar = Assert.Throws<SingularMassMatrixException>(() => model.ScalarRates(0.0, [0.3, 0.0, 0.1, 0.1]));
        Assert.Equal(["qDot[1]"], scalar.Velocities);
        // Away from zeros: q̈ᵢ = (−qᵢ − qᵢ q̇ᵢ²)/qᵢ² from M q̈ = ∂L/∂q − C q̇ with C = diag(2 qᵢ q̇ᵢ), as in the scalar case.
        var regular = Rates(model, y.narrow(0, 0, 1));
        Assert.Equal((-0.5 - 0.5 * 0.01) / 0.25, regular[2], 12);
        Assert.Equal((-0.4 - 0.4 * 0.04) / 0.16, regular[3], 12);
    }

    /// <summary>
    /// The oracle is the model's own scalar Lagrangian (its [Lagrangian] member in plain C#): ∇qL, M = ∂²L/∂q̇², C =
    /// ∂²L/∂q̇∂q and ∂²L/∂q̇∂t by central differences with h = 1e-4. Truncation error O(h²)·L⁗ ≈ 1e-8 and rounding
    /// ε·L/h² ≈ 1e-8 for these O(1) values, so 1e-5 relative on the accelerations (after an O(1)-conditioned solve)
    /// holds with margin and still catches a missing or wrong term (each contributes O(0.1)).
    /// </summary>
    static void AssertMatchesFiniteDifferences(OdeModel model, int n)
    {
        const int rows = 8;
        int width = 2 * n;
        var lagrangian = (Func<double, double[], double[]?, double>)Delegate.CreateDelegate(
            typeof(Func<double, double[], double[]?, double>), model, model.GetType().GetMethod("ScalarLagrangian")!);
        var rng = new Random(5);
        var data = Enumerable.Range(0, rows * width).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        var times = Enumerable.Range(0, rows).Select(_ => 3 * rng.NextDouble()).ToArray();
        double[] rates;
        using (no_grad())
            rates = model.Rates(tensor(times, new long[] { rows, 1 }, float64), tensor(data, new long[] { rows, width }, float64)).contiguous().data<double>().ToArray();
        const double h = 1e-4;
        for (int r = 0; r < rows; r++)
        {
            var y = data.AsSpan(width * r, width).ToArray();
            double t = times[r];
            double L(double[] v, double time) => lagrangian(time, v, null);
            double[] Shift(int i, double di, int j = 0, double dj = 0)
            {
                var v = (double[])y.Clone();
                v[i] += di;
                v[j] += dj;
                return v;
            }
            double Second(int i, int j) => (L(Shift(i, h, j, h), t) - L(Shift(i, h, j, -h), t) - L(Shift(i, -h, j, h), t) + L(Shift(i, -h, j, -h), t)) / (4 * h * h);
            var mass = new double[n * n];
            var rhs = new double[n];
            for (int i = 0; i < n; i++)
            {
                double force = (L(Shift(i, h), t) - L(Shift(i, -h), t)) / (2 * h);
                double timeMixed = (L(Shift(n + i, h), t + h) - L(Shift(n + i, h), t - h) - L(Shift(n + i, -h), t + h) + L(Shift(n + i, -h), t - h)) / (4 * h * h);
                rhs[i] = force - timeMixed;
                for (int j = 0; j < n; j++)
                {
                    mass[n * i + j] = Second(n + i, n + j);
                    rhs[i] -= Second(n + i, j) * y[n + j];
                }
            }
            var expected = EulerLagrange.SolveScalar(mass, rhs, "test", Enumerable.Range(0, n).Select(i => $"v{i}").ToArray());
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(y[n + i], rates[width * r + i], 15);
                Assert.True(OracleCheck.RelativeError(rates[width * r + n + i], expected[i]) <= 1e-5,
                    $"row {r}, q̈{i + 1}: {rates[width * r + n + i]:R} vs finite differences {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void NetworkLagrangianRatesKeepTheirGraphForTraining()
    {
        // Under grad mode the accelerations depend on the network weights through the second derivatives: a backward
        // pass must reach them (a detached Hessian would leave the weights without gradient). The output bias adds a
        // constant to L, which changes no derivative of L, so its gradient is exactly zero.
        var model = new NeuralLagrangian(ModelOptions.Float64(8));
        var (y, _) = Sample(9, 4, 1.0);
        var rates = model.Rates(tensor(0.5, float64), y);
        rates.narrow(1, 2, 2).square().sum().backward();
        var parameters = model.named_parameters().ToList();
        var outputBias = parameters[^1];
        Assert.EndsWith("bias", outputBias.name, StringComparison.Ordinal);
        Assert.True(outputBias.parameter.grad is null || outputBias.parameter.grad.abs().sum().item<double>() == 0);
        Assert.All(parameters.SkipLast(1), p => Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<double>() > 0, $"{p.name} got no gradient"));
    }

    [Fact]
    public void SingularMassMatrixNamesTheRowsAndTheVelocity()
    {
        // L = q² q̇²/2 − q²/2 has M = q², singular exactly where q = 0 (rows 1 and 3 here).
        var model = new DegenerateLagrangian(ModelOptions.Float64(1));
        var y = tensor(new double[,] { { 0.5, 0.1 }, { 0.0, 0.3 }, { -0.7, 0.2 }, { 0.0, -0.1 } }, float64);
        var error = Assert.Throws<SingularMassMatrixException>(() => Rates(model, y));
        Assert.Equal([1L, 3L], error.Rows);
        Assert.Equal(["qDot"], error.Velocities);
        Assert.Contains("DegenerateLagrangian", error.Message, StringComparison.Ordinal);
        Assert.Contains("row(s) 1, 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("'qDot'", error.Message, StringComparison.Ordinal);
        var scalar = Assert.Throws<SingularMassMatrixException>(() => model.ScalarRates(0.0, [0.0, 0.3]));
        Assert.Equal(["qDot"], scalar.Velocities);
        // Away from q = 0 the model is regular: q̈ = (−q − q q̇²)/q² from M q̈ = ∂L/∂q − C q̇ with C = 2 q q̇.
        var regular = Rates(model, tensor(new double[,] { { 0.5, 0.1 } }, float64));
        Assert.Equal((-0.5 - 0.5 * 0.01) / 0.25, regular[1], 12);
    }
}
