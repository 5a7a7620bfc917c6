using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Core;

/// <summary>Fails when the native TorchSharp backend cannot load (see src/Runtime/buildTransitive/NodeDsl.Runtime.targets).</summary>
public class TorchBackendTests
{
    [Fact]
    public void NativeBackendLoadsAndComputes()
    {
        using var a = tensor(new double[] { 1, 2, 3, 4 }, 2, 2);
        using var product = a.matmul(a);
        Assert.Equal(new double[] { 7, 10, 15, 22 }, product.data<double>().ToArray());
    }

    [Fact]
    public void AutogradWithCreateGraphWorks()
    {
        // Second derivatives are what Hamiltonian models and Jacobian regularisers need.
        using var x = tensor(3.0, requires_grad: true);
        using var y = x.pow(3);
        var dy = autograd.grad([y], [x], create_graph: true)[0];
        var d2y = autograd.grad([dy], [x])[0];
        Assert.Equal(27.0, dy.item<double>(), 12);
        Assert.Equal(18.0, d2y.item<double>(), 12);
    }

    [Fact]
    public void DefaultDeviceIsCpuWithoutCuda()
    {
        if (!cuda.is_available()) Assert.Equal(DeviceType.CPU, Devices.Default().type);
        Assert.Contains("libtorch", Devices.BackendDescription());
    }

    [Fact]
    public void AskingForCudaWithoutItNamesTheRemedy()
    {
        if (cuda.is_available()) return;
        var e = Assert.Throws<ArgumentException>(() => Devices.Parse("cuda"));
        Assert.Contains("NodeDslTorchBackend=cuda", e.Message);
    }
}
