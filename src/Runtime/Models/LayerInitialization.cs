using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// <c>nn.Linear</c>'s default initialisation drawn from a chosen generator (TorchSharp's <c>nn.init</c> functions ignore
/// their generator argument): weights from He et al.'s (2015) uniform with negative slope a = √5, i.e.
/// U(±√3·gain/√fan_in) with gain = √(2 / (1 + a²)), and biases from U(±1/√fan_in).
/// </summary>
/// <remarks>
/// The bounds are computed in the order libtorch computes them, so a layer drawn from a generator seeded with s equals
/// <c>nn.Linear</c> built after <c>manual_seed(s)</c> bit for bit.
/// </remarks>
internal static class LayerInitialization
{
    static readonly double LeakyReluGain = System.Math.Sqrt(2.0 / (1 + System.Math.Pow(System.Math.Sqrt(5), 2)));

    /// <summary>A linear layer <c>inputSize → outputSize</c> with bias, initialised like <c>nn.Linear</c>.</summary>
    public static Linear Linear(long inputSize, long outputSize, ScalarType dtype, Device? device, Generator? generator)
    {
        var weight = Uniform([outputSize, inputSize], WeightBound(inputSize), dtype, device, generator);
        var bias = Uniform([outputSize], BiasBound(inputSize), dtype, device, generator);
        return nn.Linear(weight, bias);
    }

    /// <summary>Bound of the weights of a layer with <paramref name="fanIn"/> inputs (kaiming_uniform_ with a = √5).</summary>
    public static double WeightBound(long fanIn) => System.Math.Sqrt(3.0) * (LeakyReluGain / System.Math.Sqrt(fanIn));

    /// <summary>Bound of the biases of a layer with <paramref name="fanIn"/> inputs.</summary>
    public static double BiasBound(long fanIn) => fanIn > 0 ? 1 / System.Math.Sqrt(fanIn) : 0;

    /// <summary>
    /// A parameter of <paramref name="shape"/> drawn from U(−bound, bound). With a generator the draw happens on the CPU
    /// (where the generator lives) and is then moved, so equal seeds give equal weights on any device; without one it
    /// draws from the global generator of <paramref name="device"/>, as TorchSharp's layers do.
    /// </summary>
    public static Parameter Uniform(long[] shape, double bound, ScalarType dtype, Device? device, Generator? generator)
    {
        using var noGrad = no_grad();
        var drawn = torch.empty(shape, dtype, generator is null ? device : CPU).uniform_(-bound, bound, generator);
        if (generator is not null && device is not null && device.type != DeviceType.CPU)
        {
            var moved = drawn.to(device);
            drawn.Dispose();
            drawn = moved;
        }
        return new Parameter(drawn);   // takes over the tensor's handle
    }
}
