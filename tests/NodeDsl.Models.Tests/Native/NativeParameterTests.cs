using System.Reflection;
using NodeDsl.Models.Tests.Models;
using NodeDsl.Numerics;
using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// The flat θ buffer of the native kernels is the model's <c>parameters()</c>, in order and row-major; parameters go in
/// and out through <see cref="INativeKernels"/>; kernel calls allocate nothing; constants are read at every call.
/// </summary>
public class NativeParameterTests
{
    [Fact]
    public void LayoutListsTheTorchParametersInOrder()
    {
        var model = new LotkaVolterraUde(ModelOptions.Float64(1));
        var layout = ((INativeKernels)model).KernelLayout;
        var named = model.named_parameters().ToList();
        Assert.Equal(named.Select(p => p.name), layout.Parameters.Select(b => b.Name));
        Assert.Equal(named.Select(p => p.parameter.shape), layout.Parameters.Select(b => b.Shape.Select(s => (long)s).ToArray()));
        Assert.Equal(named.Sum(p => p.parameter.numel()), layout.ParameterCount);
        Assert.Equal(2, layout.StateSize);
        Assert.False(layout.DependsOnTime);
        Assert.True(((INativeKernels)new ForcedOscillator()).KernelLayout.DependsOnTime);
    }

    [Fact]
    public void ParametersRoundTripThroughTheFlatBuffer()
    {
        var model = new LotkaVolterraUde(ModelOptions.Float64(2));
        var native = (INativeKernels)model;
        int count = native.KernelLayout.ParameterCount;
        var theta = new double[count];
        native.ReadParameters<double>(theta);
        // θ[0] is alpha (initialised to 1.3); the next block is Missing.layer0.weight row-major.
        Assert.Equal(1.3, theta[0]);
        var w0 = model.named_parameters().First(p => p.name == "Missing.layer0.weight").parameter;
        Assert.Equal(w0[1, 0].item<double>(), theta[1 + 2]);
        var changed = theta.Select((v, i) => v + 0.01 * i).ToArray();
        native.WriteParameters<double>(changed);
        var back = new double[count];
        native.ReadParameters<double>(back);
        Assert.Equal(changed, back);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad && p.is_leaf));
        using var scope = NewDisposeScope();
        var tensors = native.ToParameterTensors<double>(changed);
        Assert.Equal(model.parameters().Select(p => p.shape), tensors.Select(t => t.shape));
        Assert.Equal(changed[1 + 2], tensors[1][1, 0].item<double>());
    }

    [Fact]
    public void Float32ParametersConvertOnTheWay()
    {
        var model = new Spiral(new ModelOptions { DType = ScalarType.Float32, Seed = 3 });
        var native = (INativeKernels)model;
        var asFloat = new float[native.KernelLayout.ParameterCount];
        var asDouble = new double[asFloat.Length];
        native.ReadParameters<float>(asFloat);
        native.ReadParameters<double>(asDouble);
        Assert.Equal(asFloat.Select(v => (double)v), asDouble);
    }

    [Fact]
    public void ExtraParametersAreRefusedWithTheRemedy()
    {
        var model = new Spiral(ModelOptions.Float64(1));
        model.register_parameter("extra", new TorchSharp.Modules.Parameter(zeros(3, dtype: ScalarType.Float64)));
        var native = (INativeKernels)model;
        var error = Assert.Throws<InvalidOperationException>(() => native.ReadParameters<double>(new double[native.KernelLayout.ParameterCount]));
        Assert.Contains("register no extra parameters", error.Message);
        Assert.Contains("must have 252 values", Assert.Throws<ArgumentException>(() => native.ReadParameters<double>(new double[3])).Message);
    }

    [Fact]
    public void KernelCallsAllocateNothing()
    {
        var native = (INativeKernels)new ParametrizedGrowth(new ModelOptions { DType = ScalarType.Float32 });
        var kernel = native.CreateKernel<float>();
        const int batch = 20;
        var workspace = kernel.CreateWorkspace(batch);
        var theta = new float[native.KernelLayout.ParameterCount];
        native.ReadParameters<float>(theta);
        var y = new float[batch];
        var inputs = new float[batch * 3];
        var f = new float[batch];
        var vjpY = new float[batch];
        var vjpTheta = new float[theta.Length];
        var vjpInputs = new float[inputs.Length];
        var vjpT = new float[batch];
        void Run()
        {
            kernel.Rates([0f], y, theta, inputs, f, workspace);
            kernel.Vjp([0f], y, f, theta, inputs, f, vjpY, vjpTheta, vjpInputs, vjpT, workspace);
        }
        Run(); // JIT and static initialisation first
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ConstantFieldsAreReadAtEveryCall()
    {
        var model = new LotkaVolterraUde(ModelOptions.Float64(4));
        var native = (INativeKernels)model;
        var kernel = native.CreateKernel<double>();
        var theta = new double[native.KernelLayout.ParameterCount];
        native.ReadParameters<double>(theta);
        double[] y = [0.5, 2.0];
        var before = new double[2];
        var after = new double[2];
        var workspace = kernel.CreateWorkspace(1);
        kernel.Rates([0.0], y, theta, default, before, workspace);
        typeof(LotkaVolterraUde).GetField("delta", BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(model, 2.5);
        kernel.Rates([0.0], y, theta, default, after, workspace);
        Assert.Equal(before[0], after[0]);
        Assert.Equal(-(2.5 - 1.8) * 2.0, after[1] - before[1], 1e-14); // predator' has −delta·predator
        var outcome = NativeComparison.Compare<double>(model, new NativeComparison.Point(4, true, false, 9));
        Assert.True(outcome.Worst <= 1e-12, $"{outcome.Where}: {outcome.Worst:E2}");
    }
}
