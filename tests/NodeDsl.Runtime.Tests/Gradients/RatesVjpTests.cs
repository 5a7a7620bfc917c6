using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>The autograd vector–Jacobian product against finite differences of aᵀf.</summary>
[Collection(nameof(GradientCollection))]
public class RatesVjpTests
{
    [Theory]
    [InlineData("node")]
    [InlineData("lv")]
    [InlineData("oscillator")]
    [InlineData("pendulum")]
    public void AutogradVjpMatchesFiniteDifferences(string caseName)
    {
        var c = GradientCase.Create(caseName);
        var vjp = AutogradRatesVjp.Resolve(c.System);
        manual_seed(5);
        var y = randn(c.Y0.shape, dtype: float64);
        var a = randn(c.Y0.shape, dtype: float64);
        var t = tensor(0.7, float64);
        var r = vjp.Vjp(t, y, a, withTime: true);
        double Objective() { using var s = NewDisposeScope(); using var ng = no_grad(); return c.System.Rates(t, y).mul(a).sum().item<double>(); }

        // f itself.
        using (no_grad()) Assert.True(r.F.allclose(c.System.Rates(t, y), rtol: 0, atol: 1e-14));
        // aᵀ∂f/∂y, aᵀ∂f/∂θ and aᵀ∂f/∂t: FD with ε = 1e-6 on smooth functions of O(1) is accurate to ~1e-9.
        var checks = new List<(string, Tensor, Tensor?)> { ("y", y, r.VjpY), ("t", t, r.VjpT) };
        checks.AddRange(vjp.Parameters.Select((p, i) => ($"θ{i}", p, r.VjpParams[i])));
        foreach (var (name, x, g) in checks)
        {
            using var v = FiniteDifferences.Direction(x, 7);
            double fd = FiniteDifferences.Directional(Objective, x, v, 1e-6);
            double projected = g is null ? 0 : g.mul(v).sum().item<double>();
            Assert.True(Math.Abs(projected - fd) <= 1e-8 * Math.Max(1, Math.Abs(fd)), $"{caseName} {name}: {projected} vs {fd}");
        }
    }

    [Fact]
    public void AutogradVjpEqualsTorchAutogradGradAndFindsModuleParameters()
    {
        var system = new LotkaVolterraUde();
        var vjp = AutogradRatesVjp.Resolve(system);
        Assert.Equal(system.parameters().Count(), vjp.Parameters.Count);
        manual_seed(6);
        var y = randn(5, 2, dtype: float64).requires_grad_(true);
        var a = randn(5, 2, dtype: float64);
        var r = vjp.Vjp(tensor(0.0, float64), y, a);
        var wrt = new List<Tensor> { y };
        wrt.AddRange(vjp.Parameters);
        var expected = autograd.grad([system.Rates(tensor(0.0, float64), y)], wrt, [a]);
        Assert.True(r.VjpY.allclose(expected[0], rtol: 0, atol: 1e-15));
        for (int i = 0; i < vjp.Parameters.Count; i++)
            Assert.True(r.VjpParams[i]!.allclose(expected[i + 1], rtol: 0, atol: 1e-15));
        Assert.Null(r.VjpT);
        Assert.False(r.F.requires_grad);
    }

    [Fact]
    public void UnusedAndFrozenParametersGetNoGradient()
    {
        var used = tensor(2.0, float64).requires_grad_(true);
        var unused = tensor(3.0, float64).requires_grad_(true);
        var frozen = tensor(4.0, float64);
        var vjp = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.mul(used).mul(frozen)), used, unused, frozen);
        var r = vjp.Vjp(tensor(0.0, float64), ones(2, 1, dtype: float64), ones(2, 1, dtype: float64));
        Assert.Equal(8.0, r.VjpParams[0]!.item<double>(), 12);
        Assert.Null(r.VjpParams[1]);
        Assert.Null(r.VjpParams[2]);
    }
}
