using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// <see cref="BackwardPass.Grad"/>: TorchSharp's <c>autograd.grad</c> computed through <c>backward(inputs)</c>, whose native
/// entry point catches libtorch's errors. Same numbers as <c>autograd.grad</c>, no <c>.grad</c> changed, the original
/// exception of a failed NodeDsl backward pass. (Failures that would end the process if they reached TorchSharp's
/// <c>autograd.grad</c> run in a child process: <see cref="FailureProbeTests"/>.)
/// </summary>
[Collection(nameof(GradientCollection))]
public class BackwardPassGradTests
{
    [Fact]
    public void GradientsEqualAutogradGradAndNoGradChanges()
    {
        // y = sin(λ x) x, with λ a leaf that already holds a gradient, x a leaf without one, and h = λx a non-leaf.
        var lambda = tensor(new[] { 0.7, -1.3 }, float64).requires_grad_(true);
        var x = tensor(new[] { 0.4, 2.0 }, float64).requires_grad_(true);
        var other = tensor(3.0, float64).requires_grad_(true);
        lambda.grad = tensor(new[] { 10.0, 20.0 }, float64);
        var h = lambda.mul(x);
        var y = h.sin().mul(x).sum().add(other.square());

        var expected = autograd.grad([y], [lambda, x, h], retain_graph: true);
        var actual = BackwardPass.Grad([y], [lambda, x, h], retainGraph: true);

        // Same engine, same operations: bit for bit.
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i].data<double>().ToArray(), actual[i]!.data<double>().ToArray());
        Assert.Equal(new[] { 10.0, 20.0 }, lambda.grad!.data<double>().ToArray());
        Assert.True(x.grad is null || x.grad.IsInvalid, "x received a .grad");
        Assert.True(other.grad is null || other.grad.IsInvalid, "a tensor outside inputs received a .grad");
    }

    [Fact]
    public void CreateGraphGivesSecondDerivatives()
    {
        // f = λ³: f' = 3λ², f'' = 6λ (exact in float64 at λ = 1.5).
        var lambda = tensor(1.5, float64).requires_grad_(true);
        var first = BackwardPass.Grad([lambda.pow(3)], [lambda], createGraph: true)[0]!;
        var second = BackwardPass.Grad([first], [lambda])[0]!;
        Assert.Equal(3 * 1.5 * 1.5, first.item<double>());
        Assert.Equal(6 * 1.5, second.item<double>());
    }

    [Fact]
    public void UnusedInputIsAnErrorUnlessAllowed()
    {
        var lambda = tensor(2.0, float64).requires_grad_(true);
        var unused = tensor(5.0, float64).requires_grad_(true);
        var e = Assert.Throws<ArgumentException>(() => BackwardPass.Grad([lambda.square()], [lambda, unused], retainGraph: true));
        Assert.Contains("inputs[1] was not used", e.Message);
        var allowed = BackwardPass.Grad([lambda.square()], [lambda, unused], allowUnused: true);
        Assert.Equal(4.0, allowed[0]!.item<double>());
        Assert.Null(allowed[1]);
    }

    [Fact]
    public void FailedNodeDslBackwardThrowsTheOriginalAndLeavesGradAsItWas()
    {
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        lambda.grad = tensor(7.0, float64);
        bool failing = false;
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) =>
            failing ? throw new InvalidOperationException("rates failed on purpose") : y.mul(lambda)), lambda);
        var solution = Ode.Solve(system, tensor(new double[,] { { 1.0 } }, float64), linspace(0, 1, 3, dtype: float64),
            Runtime.Solvers.Dopri5, new SolverOptions(), GradientMethod.Backsolve());
        failing = true;

        var e = Assert.Throws<InvalidOperationException>(() => BackwardPass.Grad([solution.Ys.square().sum()], [lambda]));
        Assert.Equal("rates failed on purpose", e.Message);
        Assert.Equal(7.0, lambda.grad!.item<double>());
        Assert.Null(BackwardPass.Failure);
    }

    [Fact]
    public void ErrorSlotMakesAutogradGradThrowInsteadOfReturning()
    {
        // The mechanism a failed NodeDsl backward pass uses inside torch.autograd.grad (TorchErrorSlot): an error left in
        // TorchSharp's slot is thrown by autograd.grad's check after the engine returns. Nothing native fails here.
        var lambda = tensor(2.0, float64).requires_grad_(true);
        var loss = lambda.square();
        Assert.True(TorchErrorSlot.Set("left on purpose"));
        var e = Assert.Throws<ExternalException>(() => autograd.grad([loss], [lambda]));
        Assert.Contains("left on purpose", e.Message);
        // The check cleared the slot: the next call works.
        Assert.Equal(4.0, autograd.grad([lambda.square()], [lambda])[0].item<double>());
    }
}
