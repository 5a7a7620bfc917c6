using System.Numerics;
using BenchmarkDotNet.Attributes;
using NodeDsl.Numerics;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks;

/// <summary>
/// One evaluation of the spiral DSL model's rates, and of rates + VJP, at batch 20 on one thread: the generated native
/// kernels (NodeDsl.Numerics, spans) against the generated TorchSharp <c>Rates</c>/<c>Vjp</c>, in float32 and float64.
/// </summary>
[MemoryDiagnoser]
public class NativeKernelBenchmarks
{
    [Params("float32", "float64")]
    public string DType { get; set; } = "float64";

    const int Batch = 20;
    SpiralNode model = null!;
    Tensor t = null!, y = null!, a = null!;
    Action nativeRates = null!, nativeVjp = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        var dtype = DType == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        model = new SpiralNode(new ModelOptions { DType = dtype, Seed = 1 });
        var rng = new Random(2);
        var values = Enumerable.Range(0, Batch * 2).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        t = torch.tensor(0.5, dtype);
        y = torch.tensor(values, new long[] { Batch, 2 }, dtype);
        a = torch.tensor(values.Reverse().ToArray(), new long[] { Batch, 2 }, dtype);
        if (dtype == ScalarType.Float32) (nativeRates, nativeVjp) = Native<float>(values);
        else (nativeRates, nativeVjp) = Native<double>(values);
    }

    (Action Rates, Action Vjp) Native<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var native = (INativeKernels)model;
        var kernel = native.CreateKernel<T>();
        var workspace = kernel.CreateWorkspace(Batch);
        var theta = new T[native.KernelLayout.ParameterCount];
        native.ReadParameters<T>(theta);
        var ty = values.Select(T.CreateTruncating).ToArray();
        var ta = values.Reverse().Select(T.CreateTruncating).ToArray();
        T[] time = [T.CreateTruncating(0.5)];
        var f = new T[ty.Length];
        var vjpY = new T[ty.Length];
        var vjpTheta = new T[theta.Length];
        return (() => kernel.Rates(time, ty, theta, default, f, workspace),
                () => kernel.Vjp(time, ty, ta, theta, default, f, vjpY, vjpTheta, default, default, workspace));
    }

    [Benchmark(Description = "native rates")]
    public void NativeRates() => nativeRates();

    [Benchmark(Description = "native rates+VJP")]
    public void NativeVjp() => nativeVjp();

    [Benchmark(Description = "TorchSharp rates")]
    public void TorchRates()
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        model.Rates(t, y);
    }

    [Benchmark(Description = "TorchSharp rates+VJP")]
    public void TorchVjp()
    {
        using var scope = NewDisposeScope();
        model.Vjp(t, y, a);
    }
}

/// <summary>
/// The dense layer <c>y = x Wᵀ + b</c> over a batch: TensorPrimitives' SIMD dot per output against plain loops, and the
/// generic plain loops against the same loops written for double (does the JIT specialise generic math as well as
/// hand-written code?). Shapes: the spiral's 2→50 and 50→2 at batch 20, and a 256→256 layer at batch 20.
/// </summary>
public class DenseLayerBenchmarks
{
    [Params("2x50", "50x2", "256x256")]
    public string Shape { get; set; } = "2x50";

    const int Batch = 20;
    double[] x = null!, w = null!, b = null!, y = null!;
    int inSize, outSize;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        inSize = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        outSize = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var rng = new Random(3);
        double[] Sample(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        x = Sample(Batch * inSize);
        w = Sample(outSize * inSize);
        b = Sample(outSize);
        y = new double[Batch * outSize];
    }

    [Benchmark(Description = "TensorPrimitives.Dot")]
    public void Simd() => DenseLayer.ForwardSimd<double>(x, w, b, y, Batch, inSize, outSize);

    [Benchmark(Description = "Wᵀ multiply-add")]
    public void Transposed()
    {
        if (inSize * outSize <= 2048) DenseLayer.ForwardTransposed<double>(x, w, b, y, Batch, inSize, outSize);
    }

    [Benchmark(Description = "plain loops (generic)")]
    public void Loops() => DenseLayer.ForwardLoops<double>(x, w, b, y, Batch, inSize, outSize);

    [Benchmark(Description = "plain loops (double)")]
    public void HandWritten()
    {
        for (int r = 0; r < Batch; r++)
        {
            var xr = x.AsSpan(r * inSize, inSize);
            for (int j = 0; j < outSize; j++)
            {
                var wj = w.AsSpan(j * inSize, inSize);
                double s = 0;
                for (int k = 0; k < wj.Length; k++) s += wj[k] * xr[k];
                y[r * outSize + j] = b[j] + s;
            }
        }
    }
}

/// <summary>Activations over a hidden layer's values (batch 20 × width): TensorPrimitives against a scalar loop, float64.</summary>
public class ActivationBenchmarks
{
    [Params(50, 256)]
    public int Width { get; set; } = 50;

    double[] z = null!, a = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(4);
        z = Enumerable.Range(0, 20 * Width).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
        a = new double[z.Length];
    }

    [Benchmark(Description = "tanh TensorPrimitives")]
    public void TanhSimd() => System.Numerics.Tensors.TensorPrimitives.Tanh<double>(z, a);

    [Benchmark(Description = "tanh loop")]
    public void TanhLoop()
    {
        for (int i = 0; i < z.Length; i++) a[i] = System.Math.Tanh(z[i]);
    }

    [Benchmark(Description = "sigmoid TensorPrimitives")]
    public void SigmoidSimd() => System.Numerics.Tensors.TensorPrimitives.Sigmoid<double>(z, a);

    [Benchmark(Description = "sigmoid loop")]
    public void SigmoidLoop()
    {
        for (int i = 0; i < z.Length; i++) a[i] = ScalarMath.Sigmoid(z[i]);
    }
}
