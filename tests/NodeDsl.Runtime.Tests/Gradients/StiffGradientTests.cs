using NodeDsl.Runtime.Tests.Implicit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// Direct backpropagation through the stiff methods against central finite differences (float64), with the stage
/// equations differentiated implicitly or through the Newton iterations, and against an exact sensitivity.
/// </summary>
[Collection(nameof(GradientCollection))]
public class StiffGradientTests(ITestOutputHelper output)
{
    static readonly SolverOptions Tight = new() { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 };

    public static TheoryData<string, StageDifferentiation> Cases => new()
    {
        { "lv", StageDifferentiation.Implicit },
        { "lv", StageDifferentiation.Unrolled },
        { "oscillator", StageDifferentiation.Implicit },
        { "oscillator", StageDifferentiation.Unrolled },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Radau5DirectGradientMatchesFiniteDifferences(string caseName, StageDifferentiation differentiation)
    {
        var c = GradientCase.Create(caseName);
        var solver = new OneStepSolver(new Radau5(differentiation: differentiation));
        var (error, where) = GradientCheck.MaxError(c, GradientMethod.Direct, solver, Tight);
        output.WriteLine($"{caseName} {differentiation}: worst relative error {error:E2} ({where})");
        // At rtol 1e-10 the step sequence is smooth in the parameters and FD itself is good to ~1e-9–1e-8 (docs/gradients.md);
        // the gradient is that of the converged stages (implicit) or of the last Newton iterate (unrolled, κ·tol ≈ 1e-13).
        Assert.True(error < 1e-6, $"{caseName} {differentiation}: {error:E2} at {where}");
    }

    [Theory]
    [InlineData("lv")]
    [InlineData("oscillator")]
    public void Rodas5PDirectGradientMatchesFiniteDifferences(string caseName)
    {
        var c = GradientCase.Create(caseName);
        var (error, where) = GradientCheck.MaxError(c, GradientMethod.Direct, Runtime.Solvers.Rodas5P, Tight);
        output.WriteLine($"{caseName} rodas5p: worst relative error {error:E2} ({where})");
        // The step uses J(y0) and ∂f/∂t explicitly; with their graph (double backward) the gradient is that of the
        // discrete solution, so FD's own accuracy (~1e-9–1e-8) is the limit. A detached J would leave O(h²) errors.
        Assert.True(error < 1e-6, $"{caseName}: {error:E2} at {where}");
    }

    [Fact]
    public void ImplicitAndUnrolledStageGradientsAgree()
    {
        var c = GradientCase.Create("lv");
        var implicitGradient = GradientCheck.Gradients(c, GradientMethod.Direct, new OneStepSolver(new Radau5(differentiation: StageDifferentiation.Implicit)), Tight);
        var unrolled = GradientCheck.Gradients(c, GradientMethod.Direct, new OneStepSolver(new Radau5(differentiation: StageDifferentiation.Unrolled)), Tight);
        double difference = BacksolveAdjointTests.RelativeDifference(implicitGradient, unrolled);
        output.WriteLine($"implicit vs unrolled: relative difference {difference:E2}");
        // Both differentiate the same forward solution; they differ by the Newton residual's derivative (≈ κ·tol).
        Assert.True(difference < 1e-8, $"difference {difference:E2}");
    }

    [Theory]
    [InlineData(StageDifferentiation.Implicit)]
    [InlineData(StageDifferentiation.Unrolled)]
    public void StiffLinearSensitivityIsExact(StageDifferentiation differentiation)
    {
        using var scope = NewDisposeScope();
        // y(T) = exp(TA) y0, so ∂Σy(T)/∂y0 = 𝟙ᵀexp(TA) exactly; eigenvalues −1 and −300.
        var a = tensor(new double[,] { { -1, 3 }, { 0, -300 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 2.0 } }, float64).requires_grad_(true);
        var solution = Ode.Solve(StiffProblems.Linear(a), y0, tensor(new[] { 0, 1.0 }, float64),
            new OneStepSolver(new Radau5(differentiation: differentiation)), new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 });
        var grad = autograd.grad([solution.Ys[1].sum()], [y0])[0];
        var expected = ones(1, 2, float64).matmul(linalg.matrix_exp(a));
        double error = grad.sub(expected).abs().max().item<double>();
        output.WriteLine($"{differentiation}: gradient ({string.Join(", ", grad.data<double>().ToArray())}), error {error:E2}");
        // The discrete sensitivity matches the exact one to the solve's accuracy (rtol 1e-8 on O(1) values).
        Assert.True(error < 1e-6, $"gradient error {error}");
    }
}
