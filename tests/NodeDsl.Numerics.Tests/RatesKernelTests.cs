using NodeDsl.Numerics;

namespace NodeDsl.Numerics.Tests;

/// <summary>
/// The argument contract of <see cref="RatesKernel{T}"/> (shapes, workspace, accumulation) on a hand-written kernel of
/// f = −k·y with one input column scaling it: misuse throws with the cause and the remedy in the message.
/// </summary>
public class RatesKernelTests
{
    // f_i = −k·c·y_i with k = θ[0] and c the input; VJP: aᵀ∂f/∂y = −k·c·a, ∂/∂k = −Σ c·a·y, ∂/∂c = −k Σ a·y.
    sealed class Decay() : RatesKernel<double>(new KernelLayout("Decay", 2, 1, [new ParameterBlock("k", 0, [])], false, 0))
    {
        protected override void RatesCore(int batch, ReadOnlySpan<double> t, ReadOnlySpan<double> y, ReadOnlySpan<double> theta,
                                          ReadOnlySpan<double> inputs, Span<double> f, Span<double> record, Span<double> scratch)
        {
            int stride = inputs.Length == 1 ? 0 : 1;
            for (int i = 0; i < y.Length; i++) f[i] = -theta[0] * inputs[i / 2 * stride] * y[i];
        }

        protected override void VjpCore(int batch, ReadOnlySpan<double> t, ReadOnlySpan<double> y, ReadOnlySpan<double> a,
                                        ReadOnlySpan<double> theta, ReadOnlySpan<double> inputs, ReadOnlySpan<double> record, Span<double> vjpY,
                                        Span<double> vjpTheta, Span<double> vjpInputs, Span<double> vjpT, Span<double> scratch)
        {
            int stride = inputs.Length == 1 ? 0 : 1;
            for (int i = 0; i < y.Length; i++)
            {
                double c = inputs[i / 2 * stride];
                vjpY[i] = -theta[0] * c * a[i];
                vjpTheta[0] += -c * a[i] * y[i];
                if (!vjpInputs.IsEmpty) vjpInputs[i / 2 * stride] += -theta[0] * a[i] * y[i];
            }
        }
    }

    readonly Decay kernel = new();

    [Fact]
    public void VjpAddsIntoThetaAndOverwritesTheRest()
    {
        var ws = kernel.CreateWorkspace(2);
        double[] y = [1, 2, 3, 4], a = [1, 1, 1, 1], theta = [0.5], inputs = [2, 3];
        var vjpTheta = new double[] { 10 };
        var vjpInputs = new double[] { 7, 7 };
        var vjpT = new double[] { 9, 9 };
        var f = new double[4];
        var vjpY = new double[4];
        kernel.Vjp([0.0], y, a, theta, inputs, f, vjpY, vjpTheta, vjpInputs, vjpT, ws);
        Assert.Equal([-1, -2, -4.5, -6], f);
        Assert.Equal(10 - (2 * 3 + 3 * 7), vjpTheta[0]);                  // added
        Assert.Equal(new[] { -0.5 * 3, -0.5 * 7 }, vjpInputs);              // overwritten
        Assert.Equal(new[] { 0.0, 0.0 }, vjpT);                             // no time dependence: cleared
    }

    [Fact]
    public void MisuseNamesTheCauseAndTheRemedy()
    {
        var ws = kernel.CreateWorkspace(2);
        double[] theta = [0.5], inputs = [1, 1];
        var f = new double[4];
        Assert.Contains("whole rows of 2", Assert.Throws<ArgumentException>(() => kernel.Rates([0.0], new double[3], theta, inputs, new double[3], ws)).Message);
        Assert.Contains("one shared time or one per row (2)", Assert.Throws<ArgumentException>(() => kernel.Rates(new double[3], new double[4], theta, inputs, f, ws)).Message);
        Assert.Contains("Layout.ParameterCount", Assert.Throws<ArgumentException>(() => kernel.Rates([0.0], new double[4], new double[2], inputs, f, ws)).Message);
        Assert.Contains("one shared row ([1])", Assert.Throws<ArgumentException>(() => kernel.Rates([0.0], new double[4], theta, new double[3], f, ws)).Message);
        Assert.Contains("CreateWorkspace(3)", Assert.Throws<ArgumentException>(() => kernel.Rates([0.0], new double[6], theta, [1.0], new double[6], ws)).Message);
        Assert.Contains("as many values as y", Assert.Throws<ArgumentException>(() => kernel.Rates([0.0], new double[4], theta, inputs, new double[2], ws)).Message);
        Assert.Contains("vjpT must be empty",
            Assert.Throws<ArgumentException>(() => kernel.Vjp([0.0], new double[4], new double[4], theta, inputs, f, new double[4], new double[1], default, new double[3], ws)).Message);
        var other = new KernelWorkspace<double>(2, 5);
        Assert.Contains("not made for Decay", Assert.Throws<ArgumentException>(() => kernel.Rates([0.0], new double[4], theta, inputs, f, other)).Message);
    }

    [Fact]
    public void LayoutBlocksMustBeContiguous()
    {
        var error = Assert.Throws<ArgumentException>(() => new KernelLayout("M", 1, 0,
            [new ParameterBlock("w", 0, [2, 3]), new ParameterBlock("b", 5, [2])], false, 0));
        Assert.Contains("starts at 5, expected 6", error.Message);
        Assert.Equal(8, new KernelLayout("M", 1, 0, [new ParameterBlock("w", 0, [2, 3]), new ParameterBlock("b", 6, [2])], false, 0).ParameterCount);
    }

    [Fact]
    public void ScalarFunctionsMatchTheDslDefinitions()
    {
        foreach (var x in new[] { -40.0, -3.0, -1e-9, 0.0, 1e-12, 0.7, 19.9, 20.5, 45.0 })
        {
            Assert.Equal(NodeDsl.DslMath.Softplus(x), ScalarMath.Softplus(x));
            Assert.Equal(NodeDsl.DslMath.Sigmoid(x), ScalarMath.Sigmoid(x));
            Assert.Equal(NodeDsl.DslMath.Relu(x), ScalarMath.Relu(x));
            Assert.Equal(NodeDsl.DslMath.Sign(x), ScalarMath.Sign(x));
        }
        Assert.True(double.IsNaN(ScalarMath.Sign(double.NaN)));  // System.Math.Sign would throw
        Assert.Equal(1e-20, ScalarMath.Log1P(1e-20));             // log(1 + x) would round to 0
        Assert.Equal(0.0, ScalarMath.Step(0.0));                  // ReLU's derivative at 0, as libtorch
    }
}
