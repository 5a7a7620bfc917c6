using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// Newton–Krylov (matrix-free GMRES) stage solves of Kvaerno5: the batched GMRES against direct solves, and a 1-D
/// reaction–diffusion system with n = 200 against the dense path, with counts showing no Jacobian was formed.
/// </summary>
public class NewtonKrylovTests(ITestOutputHelper output)
{
    const int Points = 200;

    static IOdeSolver Kvaerno5(KrylovSettings? krylov, JacobianMethod jacobian = JacobianMethod.Autograd)
        => new OneStepSolver(new Esdirk("kvaerno5", Tableaus.Kvaerno5.Tableau, jacobian, krylov: krylov));

    /// <summary>
    /// Fisher–KPP u_t = D u_xx + r u(1 − u) on (0, 1), u = 0 at both ends, central differences on 200 interior points.
    /// Diffusion makes it stiff: the largest eigenvalue of D·Δ_h is about 4D/Δx² ≈ 1.6e3, against O(1) dynamics.
    /// </summary>
    sealed class ReactionDiffusion : IRowIndependentRates
    {
        public const double D = 0.01, R = 5;
        public static readonly double Dx = 1.0 / (Points + 1);

        public Tensor Rates(Tensor t, Tensor y) => Laplacian(y).mul(D / (Dx * Dx)).add(y.mul(ScalarOps.RSub(1, y)).mul(R));

        /// <summary>u_{i−1} − 2u_i + u_{i+1} with zero outside.</summary>
        public static Tensor Laplacian(Tensor u) => nn.functional.pad(u, [1, 1]).unfold(1, 3, 1).matmul(tensor(new[] { 1.0, -2, 1 }, u.dtype, u.device));
    }

    /// <summary>The same field declaring its own Jacobian–vector product J v = D Δ_h v + r(1 − 2u) v, and counting its calls.</summary>
    sealed class ReactionDiffusionWithJvp : IJacobianVectorProduct
    {
        readonly ReactionDiffusion _field = new();
        public int Products { get; private set; }
        public Tensor Rates(Tensor t, Tensor y) => _field.Rates(t, y);
        public Tensor JacobianVectorProduct(Tensor t, Tensor y, Tensor v)
        {
            Products++;
            return ReactionDiffusion.Laplacian(v).mul(ReactionDiffusion.D / (ReactionDiffusion.Dx * ReactionDiffusion.Dx))
                .add(ScalarOps.RSub(1, y.mul(2)).mul(v).mul(ReactionDiffusion.R));
        }
    }

    // Two trajectories: a bump in the middle and one near the left end.
    static Tensor InitialStates()
    {
        var x = linspace(ReactionDiffusion.Dx, 1 - ReactionDiffusion.Dx, Points, dtype: float64);
        return stack([x.sub(0.5).square().mul(-100).exp(), x.sub(0.2).square().mul(-200).exp().mul(0.8)]);
    }

    // Short span: the stiff diffusive transient (about 15 steps). A property, so each test's dispose scope owns its copy.
    static Tensor Times => tensor(new[] { 0.0, 0.025, 0.05 }, float64);
    static readonly SolverOptions Options = new() { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8 };

    [Fact]
    public void GmresSolvesEveryRowOfABatchToItsTolerance()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        const int n = 30;
        // Well-conditioned nonsymmetric matrices (I + a small random part), different per row.
        var a = eye(n, dtype: float64).add(randn(4, n, n, dtype: float64).mul(0.3 / Math.Sqrt(n)));
        var b = randn(4, n, dtype: float64);
        var settings = new KrylovSettings(Restart: 8, MaxIterations: 200, Tolerance: 1e-10);
        var x = Gmres.Solve(v => bmm(a, v.unsqueeze(-1)).squeeze(-1), b, settings, out int iterations);
        Assert.NotNull(x);
        var residual = bmm(a, x!.unsqueeze(-1)).squeeze(-1).sub(b).norm(1).div(b.norm(1));
        output.WriteLine($"{iterations} products (restart 8), relative residuals {string.Join(", ", residual.data<double>().ToArray().Select(r => r.ToString("E1")))}");
        // The stopping test is on the Givens residual estimate; the true residual agrees with it to round-off (κ(A) ≈ 3).
        Assert.True(residual.max().item<double>() <= 1e-9, $"residual {residual.max().item<double>():E2}");
        // Restarts were needed (dimension 8 < n), so the restart path is exercised too.
        Assert.True(iterations > 8, $"{iterations} products");
        var exact = linalg.solve(a, b.unsqueeze(-1)).squeeze(-1);
        Assert.True(x.sub(exact).abs().max().item<double>() < 1e-8);
    }

    [Fact]
    public void GmresReportsFailureWhenTheBudgetIsSpent()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        // A diagonal spectrum spread over [1, 1e4]: 5 products cannot reach 1e-8.
        var d = logspace(0, 4, 50, dtype: float64);
        var x = Gmres.Solve(v => v.mul(d), randn(2, 50, dtype: float64), new KrylovSettings(Restart: 5, MaxIterations: 5, Tolerance: 1e-8), out int iterations);
        Assert.Null(x);
        Assert.Equal(5, iterations);
    }

    [Theory]
    [InlineData(JacobianMethod.Autograd)]
    [InlineData(JacobianMethod.FiniteDifference)]
    public void ReactionDiffusionMatchesTheDensePathWithoutFormingAJacobian(JacobianMethod jacobian)
    {
        using var scope = NewDisposeScope();
        var y0 = InitialStates();
        using var noGrad = no_grad();
        var dense = Ode.Solve(new ReactionDiffusion(), y0, Times, Kvaerno5(null, JacobianMethod.FiniteDifference), Options);
        var krylov = Ode.Solve(new ReactionDiffusion(), y0, Times, Kvaerno5(new KrylovSettings(), jacobian), Options);
        double difference = krylov.Ys.sub(dense.Ys).abs().max().item<double>();
        output.WriteLine($"dense: {dense.Stats}\nkrylov ({jacobian}): {krylov.Stats}\nmax |difference| {difference:E2}");
        // No n×n matrix: neither a Jacobian nor a factorisation.
        Assert.Equal(0, krylov.Stats.JacobianEvaluations);
        Assert.Equal(0, krylov.Stats.Factorizations);
        Assert.True(dense.Stats.JacobianEvaluations > 0 && dense.Stats.Factorizations > 0);
        // Both solutions are within their global error (a few × atol + rtol·|u|, |u| ≤ 1) of the true one; GMRES's 1e-3
        // relative residual only changes the Newton iterates below the Newton tolerance. 1e-5 = 10 × (atol + rtol).
        Assert.True(difference < 1e-5, $"max difference {difference:E2}");
        // Same step sequence up to a few steps: the Newton–Krylov corrections behave like exact ones.
        Assert.InRange(krylov.Stats.AcceptedSteps, dense.Stats.AcceptedSteps - 3, dense.Stats.AcceptedSteps + 3);
    }

    [Fact]
    public void ADeclaredJacobianVectorProductIsUsed()
    {
        using var scope = NewDisposeScope();
        var y0 = InitialStates();
        using var noGrad = no_grad();
        var system = new ReactionDiffusionWithJvp();
        var dense = Ode.Solve(new ReactionDiffusion(), y0, Times, Kvaerno5(null, JacobianMethod.FiniteDifference), Options);
        var krylov = Ode.Solve(system, y0, Times, Kvaerno5(new KrylovSettings()), Options);
        double difference = krylov.Ys.sub(dense.Ys).abs().max().item<double>();
        output.WriteLine($"krylov with declared JVP: {krylov.Stats}, {system.Products} products, max |difference| {difference:E2}");
        Assert.True(system.Products > 0);
        Assert.Equal(0, krylov.Stats.JacobianEvaluations);
        // As above: within 10 × (atol + rtol) of the dense path.
        Assert.True(difference < 1e-5, $"max difference {difference:E2}");
    }

    [Fact]
    public void DirectBackpropagationIsRefusedWithTheRemedy()
    {
        using var scope = NewDisposeScope();
        var y0 = InitialStates().requires_grad_(true);
        var ex = Assert.Throws<NotSupportedException>(() => Ode.Solve(new ReactionDiffusion(), y0, Times, Kvaerno5(new KrylovSettings()), Options));
        Assert.Contains("backsolve adjoint", ex.Message);
    }

    [Theory]
    [InlineData(0, 10, 1e-3, "Restart")]
    [InlineData(10, 0, 1e-3, "MaxIterations")]
    [InlineData(10, 10, 1.5, "Tolerance")]
    public void BadSettingsAreRejectedByName(int restart, int maxIterations, double tolerance, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Kvaerno5(new KrylovSettings(restart, maxIterations, tolerance)));
        Assert.Equal(name, ex.ParamName);
    }
}
