using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Copies between tensors and the native path's host arrays (one contiguous copy each way).</summary>
internal static class HostTensors
{
    /// <summary>The torch dtype of <typeparamref name="T"/>.</summary>
    public static ScalarType DType<T>() => typeof(T) == typeof(float) ? ScalarType.Float32
        : typeof(T) == typeof(double) ? ScalarType.Float64
        : throw new NotSupportedException($"Native kernels run in float or double, not {typeof(T).Name}.");

    /// <summary>The values of <paramref name="x"/> as <typeparamref name="T"/>, row-major.</summary>
    public static T[] Read<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[x.numel()];
        CopyTo(x, values);
        return values;
    }

    /// <summary>
    /// Copies the values of <paramref name="x"/> (any device, dtype and layout) into <paramref name="target"/> as
    /// <typeparamref name="T"/>, row-major. A contiguous CPU tensor of that dtype is read in place, without a tensor op
    /// (the common case: parameters, y0 and ∂L/∂ys of a native solve); anything else goes through one converted copy.
    /// </summary>
    public static void CopyTo<T>(Tensor x, Span<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.numel() != target.Length)
            throw new ArgumentException($"The tensor has {x.numel()} values but the target holds {target.Length}.", nameof(target));
        if (x.device_type == DeviceType.CPU && x.dtype == DType<T>() && x.is_contiguous())
        {
            MemoryMarshal.Cast<byte, T>(x.bytes).CopyTo(target);
            return;
        }
        using var host = x.detach().to(DType<T>(), CPU).contiguous();
        MemoryMarshal.Cast<byte, T>(host.bytes).CopyTo(target);
    }

    /// <summary>A new CPU tensor of <paramref name="shape"/> holding <paramref name="values"/> (in the current dispose scope).</summary>
    public static Tensor Write<T>(ReadOnlySpan<T> values, params long[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = empty(shape, DType<T>(), CPU);
        values.CopyTo(MemoryMarshal.Cast<byte, T>(result.bytes));
        return result;
    }
}
