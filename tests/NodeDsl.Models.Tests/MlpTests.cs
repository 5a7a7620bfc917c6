using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests;

/// <summary>
/// The runtime perceptron: its manual input backward (reused by Hamiltonian rates and, later, analytic VJPs) agrees
/// with autograd, and its scalar evaluation agrees with the tensor forward.
/// </summary>
public class MlpTests
{
    // float64 throughout; both sides compute the same sums in different orders, so agreement is to a few ulps.
    // 1e-12 relative leaves wide headroom while any wrong transpose or derivative would be off by O(1).
    const double Tolerance = 1e-12;

    public static TheoryData<Activation> Activations => new(Enum.GetValues<Activation>());

    static Mlp Create(Activation activation)
        => SeededConstruction.Create(3, 0, () => new Mlp("net", 3, [7, 5], 2, activation, ScalarType.Float64));

    [Theory]
    [MemberData(nameof(Activations))]
    public void InputVjpMatchesAutograd(Activation activation)
    {
        using var net = Create(activation);
        using var x = torch.randn(6, 3, ScalarType.Float64, requires_grad: true);
        using var g = torch.randn(6, 2, ScalarType.Float64);
        var y = net.forward(x);
        var expected = autograd.grad([y], [x], [g])[0];
        var actual = net.InputVjp(x.detach(), g);
        Assert.True(actual.allclose(expected, rtol: Tolerance, atol: Tolerance), $"{activation}: manual backward differs from autograd");
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void ScalarForwardAndGradientMatchTensorCode(Activation activation)
    {
        using var net = Create(activation);
        var input = new[] { 0.3, -1.2, 0.7 };
        using var x = torch.tensor(input, new long[] { 1, 3 }, ScalarType.Float64);
        var forward = net.forward(x).data<double>().ToArray();
        Assert.Equal(forward, net.EvaluateScalar(input), (a, b) => System.Math.Abs(a - b) <= Tolerance * System.Math.Max(1, System.Math.Abs(b)));
        for (int k = 0; k < 2; k++)
        {
            var gradient = net.InputGradient(x, k).data<double>().ToArray();
            Assert.Equal(gradient, net.InputGradientScalar(input, k), (a, b) => System.Math.Abs(a - b) <= Tolerance * System.Math.Max(1, System.Math.Abs(b)));
        }
    }

    [Fact]
    public void InputVjpIsDifferentiableForTrainingThroughIt()
    {
        using var net = Create(Activation.Tanh);
        using var x = torch.randn(4, 3, ScalarType.Float64);
        using var g = torch.ones(1, 2, ScalarType.Float64);
        net.InputVjp(x, g).square().sum().backward();
        // Every weight and every hidden bias shapes ∂net/∂x; the output bias does not (its gradient stays null).
        Assert.All(net.named_parameters().Where(p => p.name != "layer2.bias"), p => Assert.NotNull(p.parameter.grad));
    }

    [Fact]
    public void SeededConstructionIsReproducibleAndLeavesTheGlobalStreamAlone()
    {
        torch.random.manual_seed(123);
        using var before = torch.rand(3, ScalarType.Float64);
        torch.random.manual_seed(123);
        using var a = Create(Activation.Tanh);
        using var after = torch.rand(3, ScalarType.Float64);
        using var b = Create(Activation.Tanh);
        Assert.True(before.allclose(after, rtol: 0, atol: 0));
        Assert.True(a.Layers[0].weight!.allclose(b.Layers[0].weight!, rtol: 0, atol: 0));
    }
}
