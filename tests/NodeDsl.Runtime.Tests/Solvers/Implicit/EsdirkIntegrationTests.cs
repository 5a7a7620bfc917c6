using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SolverRegistry = NodeDsl.Runtime.Solvers;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>Kvaerno5 as part of the runtime: registry, float32, autograd through the Newton iterations.</summary>
public class EsdirkIntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public void ImplicitAndMultistepMethodsAreRegisteredByName()
    {
        Assert.Same(SolverRegistry.Kvaerno5, SolverRegistry.ByName("kvaerno5"));
        Assert.Same(SolverRegistry.Kvaerno3, SolverRegistry.ByName("Kvaerno3"));
        Assert.Same(SolverRegistry.AdamsBashforthMoulton, SolverRegistry.ByName("abm"));
        Assert.True(SolverRegistry.Kvaerno5.IsAdaptive);
        Assert.Equal(5, SolverRegistry.Kvaerno5.Order);
        Assert.False(SolverRegistry.AdamsBashforthMoulton.IsAdaptive);
        Assert.Equal(4, SolverRegistry.AdamsBashforthMoulton.Order);
    }

    [Fact]
    public void Float32SolveAgreesWithFloat64()
    {
        using var scope = NewDisposeScope();
        var system = StiffProblems.VanDerPol(50);
        var y0 = tensor(new double[,] { { 2.0, 0.0 }, { 0.5, -1.0 } }, float64);
        var ts = tensor(new[] { 0.0, 5.0, 20.0 }, float64);
        var options = new SolverOptions { RelativeTolerance = 1e-4, AbsoluteTolerance = 1e-5 };
        var single = Ode.Solve(system, y0.to(float32), ts.to(float32), SolverRegistry.Kvaerno5, options);
        var reference = Ode.Solve(system, y0, ts, SolverRegistry.Kvaerno5, options with { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-9 });
        Assert.Equal(ScalarType.Float32, single.Ys.dtype);
        double error = single.Ys.to(float64).sub(reference.Ys).abs().max().item<double>();
        output.WriteLine($"float32: {single.Stats}, max error {error:E2}");
        // rtol 1e-4 on |y| ≤ 2 and ~4e2 steps of float32 round-off (6e-8 each): a few 1e-4 at most.
        Assert.True(error < 1e-3, $"error {error}");
    }

    [Fact]
    public void GradientsFlowThroughTheNewtonIterations()
    {
        using var scope = NewDisposeScope();
        // Stiff linear system: y(T) = exp(TA) y0, so ∂Σy(T)/∂y0 = 𝟙ᵀexp(TA) exactly.
        var a = tensor(new double[,] { { -1, 3 }, { 0, -300 } }, float64);
        var y0 = tensor(new double[,] { { 1.0, 2.0 } }, float64).requires_grad_(true);
        const double end = 1.0;
        var solution = Ode.Solve(StiffProblems.Linear(a), y0, tensor(new[] { 0, end }, float64), SolverRegistry.Kvaerno5,
            new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 });
        var grad = torch.autograd.grad([solution.Ys[1].sum()], [y0])[0];
        var expected = ones(1, 2, float64).matmul(linalg.matrix_exp(a.mul(end)));
        double error = grad.sub(expected).abs().max().item<double>();
        output.WriteLine($"gradient ({string.Join(", ", grad.data<double>().ToArray())}), error {error:E2}");
        // Backpropagation through the unrolled simplified Newton differentiates the discrete solution; it matches the
        // exact sensitivity to the solve's accuracy (rtol 1e-8 on O(1) values).
        Assert.True(error < 1e-6, $"gradient error {error}");
    }
}
