using System.Numerics;
using System.Runtime.InteropServices;
using NodeDsl.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A generated model that also has native kernels (<see cref="IRatesKernelSource"/>, NodeDsl.Numerics): the generator
/// declares it on every eligible model (DSL math and built-in perceptrons; see docs/dsl.md, native kernels). Besides the
/// kernels it moves the model's parameters to and from the kernels' flat θ buffer, whose layout
/// (<see cref="KernelLayout.Parameters"/>) is <c>parameters()</c> in registration order, each tensor row-major.
/// </summary>
public interface INativeKernels : IRatesKernelSource
{
    /// <summary>The model's parameters in registration order (implemented by <c>nn.Module.parameters</c>).</summary>
#pragma warning disable CA1716, IDE1006 // torch's name, so that nn.Module implements it
    IEnumerable<Parameter> parameters(bool recurse = true);
#pragma warning restore CA1716, IDE1006

    /// <summary>Copies the parameters into <paramref name="theta"/> (<c>[KernelLayout.ParameterCount]</c>), converted to <typeparamref name="T"/>.</summary>
    void ReadParameters<T>(Span<T> theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = NativeParameters.Check(this, theta.Length);
        for (int i = 0; i < list.Count; i++)
        {
            var block = KernelLayout.Parameters[i];
            using var host = list[i].detach().to(NativeParameters.DType<T>(), CPU).contiguous();
            MemoryMarshal.Cast<byte, T>(host.bytes).CopyTo(theta.Slice(block.Offset, block.Length));
        }
    }

    /// <summary>Sets the parameters from <paramref name="theta"/> (converted to each parameter's dtype and device; no autograd history).</summary>
    void WriteParameters<T>(ReadOnlySpan<T> theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = NativeParameters.Check(this, theta.Length);
        using var noGrad = torch.no_grad();
        for (int i = 0; i < list.Count; i++)
        {
            var block = KernelLayout.Parameters[i];
            using var host = torch.empty(list[i].shape, NativeParameters.DType<T>(), CPU);
            theta.Slice(block.Offset, block.Length).CopyTo(MemoryMarshal.Cast<byte, T>(host.bytes));
            list[i].copy_(host);
        }
    }

    /// <summary>
    /// θ-shaped values (e.g. the kernels' aᵀ∂f/∂θ) as one tensor per parameter, shaped, typed and placed like it: views of one
    /// flat tensor made with a single copy from <paramref name="theta"/>.
    /// </summary>
    Tensor[] ToParameterTensors<T>(ReadOnlySpan<T> theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = NativeParameters.Check(this, theta.Length);
        if (list.Count == 0) return [];
        using var host = torch.empty(new long[] { theta.Length }, NativeParameters.DType<T>(), CPU);
        theta.CopyTo(MemoryMarshal.Cast<byte, T>(host.bytes));
        using var flat = host.to(list[0].dtype, list[0].device);
        var result = new Tensor[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            var block = KernelLayout.Parameters[i];
            result[i] = flat.narrow(0, block.Offset, block.Length).view(list[i].shape);
        }
        return result;
    }
}

/// <summary>Checks shared by <see cref="INativeKernels"/>'s parameter copies.</summary>
internal static class NativeParameters
{
    /// <summary>The parameters, after checking that they match the kernels' layout and that θ has its length.</summary>
    public static IReadOnlyList<Parameter> Check(INativeKernels model, int thetaLength)
    {
        var layout = model.KernelLayout;
        if (thetaLength != layout.ParameterCount)
            throw new ArgumentException($"θ must have {layout.ParameterCount} values ({layout.Model}'s KernelLayout.ParameterCount) but has {thetaLength}.", "theta");
        var list = model.parameters().ToList();
        bool same = list.Count == layout.Parameters.Count
                    && list.Select((p, i) => p.shape.SequenceEqual(layout.Parameters[i].Shape.Select(s => (long)s))).All(x => x);
        if (!same)
            throw new InvalidOperationException(
                $"{layout.Model}'s parameters ({string.Join(", ", list.Select(p => "[" + string.Join(",", p.shape) + "]"))}) do not match its native kernel layout " +
                $"({string.Join(", ", layout.Parameters.Select(b => b.Name + " [" + string.Join(",", b.Shape) + "]"))}); register no extra parameters or modules on a generated model.");
        return list;
    }

    /// <summary>The torch dtype of <typeparamref name="T"/>.</summary>
    public static ScalarType DType<T>() => typeof(T) == typeof(float) ? ScalarType.Float32
        : typeof(T) == typeof(double) ? ScalarType.Float64
        : throw new NotSupportedException($"Native kernels run in float or double, not {typeof(T).Name}.");
}
