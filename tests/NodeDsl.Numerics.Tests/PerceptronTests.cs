using NodeDsl.Numerics;

namespace NodeDsl.Numerics.Tests;

/// <summary>
/// The batched perceptron kernel against mathematics: its forward equals a plain per-sample evaluation of
/// σ(…σ(x W₀ᵀ + b₀)…) W_Lᵀ + b_L, and its layer backward equals central finite differences of L = Σ g ⊙ net(x) in float64,
/// for the input and every weight and bias, with every activation of the DSL.
/// </summary>
public class PerceptronTests
{
    public static TheoryData<Activation> Activations => new(Enum.GetValues<Activation>());

    // Widths that take both dense paths: rows shorter than DenseLayer.SimdWidth (2, 3) and longer (12, 9).
    static readonly int[] Widths = [3, 12, 9, 2];
    const int Batch = 5;

    [Theory]
    [MemberData(nameof(Activations))]
    public void ForwardEqualsAPerSampleEvaluation(Activation activation)
    {
        var net = new Perceptron(Widths, activation);
        var rng = new Random(1);
        var theta = Sample(rng, net.ParameterCount, 0.6);
        var x = Sample(rng, Batch * net.InputSize, 1.5);
        var y = new double[Batch * net.OutputSize];
        net.Forward<double>(theta, x, y, Batch, new double[Batch * net.ScratchWidth]);
        var recorded = new double[y.Length];
        net.Record<double>(theta, x, recorded, Batch, new double[Batch * net.TapeWidth]);
        for (int r = 0; r < Batch; r++)
        {
            var expected = Reference(net, theta, x.AsSpan(r * net.InputSize, net.InputSize).ToArray());
            for (int j = 0; j < net.OutputSize; j++)
            {
                // Same products and sums, another summation order (SIMD dot): a few ulps of values of order 1.
                Assert.Equal(expected[j], y[r * net.OutputSize + j], 1e-13);
                Assert.Equal(y[r * net.OutputSize + j], recorded[r * net.OutputSize + j]);
            }
        }
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Silu)]
    [InlineData(Activation.Identity)]
    public void BackwardEqualsCentralFiniteDifferences(Activation activation)
    {
        var net = new Perceptron(Widths, activation);
        var rng = new Random(2);
        var theta = Sample(rng, net.ParameterCount, 0.6);
        var x = Sample(rng, Batch * net.InputSize, 1.5);
        var g = Sample(rng, Batch * net.OutputSize, 1.0);
        var (gx, gTheta) = Backward(net, theta, x, g);

        // L(x, θ) = Σ g ⊙ net(x; θ); central differences with h = 1e-6 have truncation error O(h²·L''') ≈ 1e-12 and
        // rounding error O(eps·|L|/h) ≈ 1e-10 for |L| ~ 1: 1e-8 absolute bounds both with margin.
        const double h = 1e-6, tolerance = 1e-8;
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(Difference(x, i, h, xv => Loss(net, theta, xv, g)), gx[i], tolerance);
        for (int i = 0; i < theta.Length; i++)
            Assert.Equal(Difference(theta, i, h, tv => Loss(net, tv, x, g)), gTheta[i], tolerance);
    }

    [Fact]
    public void ReluBackwardPassesGradientsWhereUnitsAreActive()
    {
        // ReLU has kinks, so compare with the analytic backward written per sample: z > 0 passes, z ≤ 0 blocks.
        var net = new Perceptron([2, 6, 3], Activation.Relu);
        var rng = new Random(3);
        var theta = Sample(rng, net.ParameterCount, 0.8);
        var x = Sample(rng, Batch * 2, 1.5);
        var g = Sample(rng, Batch * 3, 1.0);
        var (gx, gTheta) = Backward(net, theta, x, g);
        var expectedTheta = new double[theta.Length];
        for (int r = 0; r < Batch; r++)
        {
            var xr = x.AsSpan(r * 2, 2);
            var z = new double[6];
            for (int j = 0; j < 6; j++) z[j] = theta[12 + j] + theta[2 * j] * xr[0] + theta[2 * j + 1] * xr[1];
            var ga = new double[6];
            for (int o = 0; o < 3; o++)
            {
                double go = g[r * 3 + o];
                expectedTheta[18 + 18 + o] += go;
                for (int j = 0; j < 6; j++)
                {
                    expectedTheta[18 + 6 * o + j] += go * System.Math.Max(0, z[j]);
                    ga[j] += go * theta[18 + 6 * o + j];
                }
            }
            var gxr = new double[2];
            for (int j = 0; j < 6; j++)
            {
                double gz = z[j] > 0 ? ga[j] : 0;
                expectedTheta[12 + j] += gz;
                expectedTheta[2 * j] += gz * xr[0];
                expectedTheta[2 * j + 1] += gz * xr[1];
                gxr[0] += gz * theta[2 * j];
                gxr[1] += gz * theta[2 * j + 1];
            }
            Assert.Equal(gxr[0], gx[r * 2], 1e-14);
            Assert.Equal(gxr[1], gx[r * 2 + 1], 1e-14);
        }
        for (int i = 0; i < theta.Length; i++) Assert.Equal(expectedTheta[i], gTheta[i], 1e-13);
    }

    [Fact]
    public void BackwardAddsIntoTheParameterGradient()
    {
        var net = new Perceptron(Widths, Activation.Tanh);
        var rng = new Random(4);
        var theta = Sample(rng, net.ParameterCount, 0.6);
        var x = Sample(rng, Batch * net.InputSize, 1.0);
        var g = Sample(rng, Batch * net.OutputSize, 1.0);
        var (_, once) = Backward(net, theta, x, g);
        var tape = new double[Batch * net.TapeWidth];
        net.Record<double>(theta, x, new double[Batch * net.OutputSize], Batch, tape);
        var twice = (double[])once.Clone();
        net.Backward<double>(theta, x, tape, g, new double[x.Length], twice, Batch, new double[Batch * net.ScratchWidth]);
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 1e-14);
    }

    [Fact]
    public void ForwardRecordAndBackwardAllocateNothing()
    {
        var net = new Perceptron([2, 50, 2], Activation.Tanh);
        var theta = new double[net.ParameterCount];
        var x = new double[20 * 2];
        var y = new double[20 * 2];
        var tape = new double[20 * net.TapeWidth];
        var scratch = new double[20 * net.ScratchWidth];
        void Run()
        {
            net.Forward<double>(theta, x, y, 20, scratch);
            net.Record<double>(theta, x, y, 20, tape);
            net.Backward<double>(theta, x, tape, y, x, theta, 20, scratch);
        }
        Run(); // JIT and static initialisation first
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LayoutFollowsTorchParameters()
    {
        var net = new Perceptron([2, 50, 3], Activation.Tanh);
        Assert.Equal(50 * 2 + 50 + 3 * 50 + 3, net.ParameterCount);
        Assert.Equal(0, net.WeightOffset(0));
        Assert.Equal(150, net.WeightOffset(1)); // after layer0.weight [50, 2] and layer0.bias [50]
        Assert.Equal(100, net.TapeWidth);       // z and a of the hidden layer
        Assert.Throws<ArgumentException>(() => new Perceptron([2], Activation.Tanh));
        Assert.Throws<ArgumentException>(() => new Perceptron([2, 0, 1], Activation.Tanh));
    }

    static (double[] Gx, double[] GTheta) Backward(Perceptron net, double[] theta, double[] x, double[] g)
    {
        var tape = new double[Batch * net.TapeWidth];
        net.Record<double>(theta, x, new double[Batch * net.OutputSize], Batch, tape);
        var gx = new double[x.Length];
        var gTheta = new double[theta.Length];
        net.Backward<double>(theta, x, tape, g, gx, gTheta, Batch, new double[Batch * net.ScratchWidth]);
        return (gx, gTheta);
    }

    static double Loss(Perceptron net, double[] theta, double[] x, double[] g)
    {
        double loss = 0;
        for (int r = 0; r < Batch; r++)
        {
            var y = Reference(net, theta, x.AsSpan(r * net.InputSize, net.InputSize).ToArray());
            for (int j = 0; j < y.Length; j++) loss += g[r * net.OutputSize + j] * y[j];
        }
        return loss;
    }

    static double Difference(double[] at, int i, double h, Func<double[], double> f)
    {
        var plus = (double[])at.Clone();
        var minus = (double[])at.Clone();
        plus[i] += h;
        minus[i] -= h;
        return (f(plus) - f(minus)) / (2 * h);
    }

    // One sample through the layers with scalar loops and NodeDsl.DslMath's activations (an independent evaluation).
    static double[] Reference(Perceptron net, double[] theta, double[] x)
    {
        var widths = net.Widths;
        for (int l = 0; l + 1 < widths.Count; l++)
        {
            int w = net.WeightOffset(l), inSize = widths[l], outSize = widths[l + 1];
            var next = new double[outSize];
            for (int j = 0; j < outSize; j++)
            {
                double s = theta[w + outSize * inSize + j];
                for (int k = 0; k < inSize; k++) s += theta[w + j * inSize + k] * x[k];
                next[j] = l + 2 < widths.Count ? Activate(net.Activation, s) : s;
            }
            x = next;
        }
        return x;
    }

    static double Activate(Activation activation, double z) => activation switch
    {
        Activation.Tanh => NodeDsl.DslMath.Tanh(z),
        Activation.Relu => NodeDsl.DslMath.Relu(z),
        Activation.Sigmoid => NodeDsl.DslMath.Sigmoid(z),
        Activation.Softplus => NodeDsl.DslMath.Softplus(z),
        Activation.Silu => z * NodeDsl.DslMath.Sigmoid(z),
        _ => z,
    };

    internal static double[] Sample(Random rng, int count, double scale)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = scale * (2 * rng.NextDouble() - 1);
        return values;
    }
}
