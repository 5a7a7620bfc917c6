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
        => NativeParameters.Read(KernelLayout, NativeParameters.Check(this, theta.Length), theta);

    /// <summary>Sets the parameters from <paramref name="theta"/> (converted to each parameter's dtype and device; no autograd history).</summary>
    void WriteParameters<T>(ReadOnlySpan<T> theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = NativeParameters.Check(this, theta.Length);
        using var noGrad = torch.no_grad();
        for (int i = 0; i < list.Count; i++)
        {
            var block = KernelLayout.Parameters[i];
            using var host = torch.empty(list[i].shape, HostTensors.DType<T>(), CPU);
            theta.Slice(block.Offset, block.Length).CopyTo(MemoryMarshal.Cast<byte, T>(host.bytes));
            list[i].copy_(host);
        }
    }

    /// <summary>
    /// θ-shaped values (e.g. the kernels' aᵀ∂f/∂θ) as one tensor per parameter, shaped, typed and placed like it: one new
    /// tensor each, filled with one copy from its slice of <paramref name="theta"/>.
    /// </summary>
    Tensor[] ToParameterTensors<T>(ReadOnlySpan<T> theta) where T : unmanaged, IFloatingPointIeee754<T>
        => NativeParameters.ToTensors(KernelLayout, NativeParameters.Check(this, theta.Length), theta);
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

    /// <summary>Copies <paramref name="parameters"/> (already checked against <paramref name="layout"/>) into θ.</summary>
    public static void Read<T>(KernelLayout layout, IReadOnlyList<Tensor> parameters, Span<T> theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < layout.Parameters.Count; i++)
        {
            var block = layout.Parameters[i];
            HostTensors.CopyTo(parameters[i], theta.Slice(block.Offset, block.Length));
        }
    }

    /// <summary>
    /// θ-shaped values as one new tensor per parameter, shaped, typed and placed like it (one copy each; no tensor op
    /// beyond the allocation when the parameter is a CPU tensor of <typeparamref name="T"/>, as in every native solve).
    /// </summary>
    public static Tensor[] ToTensors<T>(KernelLayout layout, IReadOnlyList<Tensor> parameters, ReadOnlySpan<T> theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new Tensor[layout.Parameters.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var block = layout.Parameters[i];
            var parameter = parameters[i];
            var host = HostTensors.Write(theta.Slice(block.Offset, block.Length), parameter.shape);
            if (parameter.dtype == host.dtype && parameter.device_type == DeviceType.CPU) result[i] = host;
            else
            {
                result[i] = host.to(parameter.dtype, parameter.device);
                host.Dispose();
            }
        }
        return result;
    }
}
