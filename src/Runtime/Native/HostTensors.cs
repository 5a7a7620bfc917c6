using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Copies between tensors and the native path's host arrays (one contiguous copy each way).</summary>
internal static class HostTensors
{
    /// <summary>The values of <paramref name="x"/> as <typeparamref name="T"/>, row-major.</summary>
    public static T[] Read<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var host = x.detach().to(NativeParameters.DType<T>(), CPU).contiguous();
        return host.data<T>().ToArray();
    }

    /// <summary>A new CPU tensor of <paramref name="shape"/> holding <paramref name="values"/> (in the current dispose scope).</summary>
    public static Tensor Write<T>(ReadOnlySpan<T> values, params long[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = empty(shape, NativeParameters.DType<T>(), CPU);
        values.CopyTo(MemoryMarshal.Cast<byte, T>(result.bytes));
        return result;
    }
}
