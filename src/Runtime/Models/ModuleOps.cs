using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Evaluation helpers for custom <c>[Neural(typeof(T))]</c> modules: input gradients by autograd (the module is
/// opaque to the generator) and single-input evaluation in doubles for the scalar oracle.
/// </summary>
public static class ModuleOps
{
    /// <summary>
    /// <c>gradOutput · ∂module/∂x</c> by autograd with <c>create_graph</c>, so the result can itself be differentiated
    /// (training a Hamiltonian model through its rates). Works inside <c>no_grad</c> scopes too.
    /// </summary>
    public static Tensor InputVjp(nn.Module<Tensor, Tensor> module, Tensor input, Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        using var _ = torch.enable_grad();
        var x = input.requires_grad ? input : input.detach().requires_grad_(true);
        var y = module.forward(x);
        var g = gradOutput.dim() == 2 && gradOutput.shape[0] == y.shape[0] ? gradOutput : gradOutput.expand(y.shape[0], y.shape[1]);
        // An output that does not depend on the input has no gradient; asking autograd.grad for one would be a libtorch
        // error, which TorchSharp's THSAutograd_grad does not catch (the process would end).
        if (!y.requires_grad) return torch.zeros_like(x);
        // retain_graph: the returned gradient's own graph reuses the forward's saved values (TorchSharp does not default it to create_graph).
        var vjp = autograd.grad([y], [x], [g], retain_graph: true, create_graph: true, allow_unused: true)[0];
        return vjp is null || vjp.IsInvalid ? torch.zeros_like(x) : vjp;
    }

    /// <summary>Gradient of output <paramref name="output"/> with respect to the input, <c>[batch, inputs]</c>.</summary>
    public static Tensor InputGradient(nn.Module<Tensor, Tensor> module, Tensor input, int output, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var onehot = torch.zeros(new long[] { 1, outputSize }, input.dtype, input.device);
        onehot[0, output] = torch.tensor(1.0, input.dtype, input.device);
        return InputVjp(module, input, onehot);
    }

    /// <summary>Evaluates the module on one input row and returns the output row as doubles.</summary>
    public static double[] EvaluateScalar(nn.Module<Tensor, Tensor> module, double[] input, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        using var _ = torch.no_grad();
        var x = torch.tensor(input, new long[] { 1, input.Length }, dtype, device);
        return module.forward(x).detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
    }

    /// <summary>∂ output[<paramref name="output"/>] / ∂ input at one input row, as doubles.</summary>
    public static double[] InputGradientScalar(nn.Module<Tensor, Tensor> module, double[] input, int output, int outputSize, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var x = torch.tensor(input, new long[] { 1, input.Length }, dtype, device);
        return InputGradient(module, x, output, outputSize).detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
    }

    /// <summary>Concatenates scalar and vector arguments into one network input row.</summary>
    public static double[] Row(params double[][] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return parts.SelectMany(p => p).ToArray();
    }
}
