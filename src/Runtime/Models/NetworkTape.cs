using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// One network evaluation recorded for a vector–Jacobian product (used by generated <see cref="IRatesVjp.Vjp"/>):
/// <see cref="Output"/> is the forward value and <see cref="Backward"/> maps a cotangent on it to the cotangent on
/// the input, adding the network's parameter gradients into one slot per <c>module.parameters()</c> entry.
/// </summary>
public abstract class NetworkTape
{
    /// <summary>Creates a tape for <paramref name="output"/>, a value without autograd graph.</summary>
    protected NetworkTape(Tensor output) => Output = output;

    /// <summary>The recorded forward value (no <c>grad_fn</c>).</summary>
    public Tensor Output { get; }

    /// <summary>
    /// <c>gradOutput · ∂out/∂x</c> (returned, shaped like the input) and <c>gradOutput · ∂out/∂θ</c>, added into
    /// <paramref name="parameterGradients"/> (null slots are filled; parameters that do not require grad are skipped).
    /// </summary>
    public abstract Tensor Backward(Tensor gradOutput, Tensor?[] parameterGradients);

    /// <summary>Adds <paramref name="gradient"/> into slot <paramref name="index"/>.</summary>
    protected static void Accumulate(Tensor?[] slots, int index, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (index >= slots.Length)
            throw new ArgumentException($"The gradient array has {slots.Length} slots but the network has more parameters; create it with NetworkTapes.Slots(module).", nameof(slots));
        slots[index] = slots[index] is { } s ? s.add(gradient, ScalarOps.One) : gradient;
    }
}

/// <summary>
/// Tapes for network terms of generated VJPs: the perceptron's own backward (<see cref="Mlp.Record"/>) and, for custom
/// modules and network input gradients (second order, in Hamiltonian models), a local autograd graph.
/// </summary>
public static class NetworkTapes
{
    /// <summary>One empty gradient slot per parameter of <paramref name="module"/>, in <c>parameters()</c> order.</summary>
    public static Tensor?[] Slots(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new Tensor?[module.parameters().Count()];
    }

    /// <summary>Records <c>module(input)</c>: by the module's own backward when it declares <see cref="IAnalyticNetwork"/>
    /// (<see cref="Mlp"/>), else with a local autograd graph.</summary>
    public static NetworkTape Record(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        if (module is IAnalyticNetwork analytic) return analytic.Record(input);
        using var grad = torch.enable_grad();
        var x = input.detach().requires_grad_(true);
        return new AutogradTape(module, x, module.forward(x));
    }

    /// <summary>
    /// Records <c>∂module_k/∂x</c> at <paramref name="input"/> (the term Hamilton's equations take from a network), with a
    /// local autograd graph so that its own VJP (a Hessian–vector product and the mixed parameter derivative) comes from
    /// autograd.
    /// </summary>
    public static NetworkTape RecordInputGradient(nn.Module<Tensor, Tensor> module, Tensor input, int output, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        using var grad = torch.enable_grad();
        var x = input.detach().requires_grad_(true);
        var g = module is IAnalyticNetwork analytic ? analytic.InputGradient(x, output) : ModuleOps.InputGradient(module, x, output, outputSize);
        return new AutogradTape(module, x, g);
    }

    sealed class AutogradTape(nn.Module module, Tensor input, Tensor output) : NetworkTape(output.detach())
    {
        readonly Parameter[] parameters = module.parameters().ToArray();

        public override Tensor Backward(Tensor gradOutput, Tensor?[] parameterGradients)
        {
            ArgumentNullException.ThrowIfNull(gradOutput);
            ArgumentNullException.ThrowIfNull(parameterGradients);
            if (!output.requires_grad) return torch.zeros_like(input);
            var wrt = new List<Tensor> { input };
            var slots = new List<int>();
            for (int i = 0; i < parameters.Length; i++)
            {
                if (!parameters[i].requires_grad) continue;
                wrt.Add(parameters[i]);
                slots.Add(i);
            }
            var g = gradOutput.shape.SequenceEqual(output.shape) ? gradOutput : gradOutput.expand(output.shape);
            var grads = torch.autograd.grad([output], wrt, [g], allow_unused: true);
            for (int k = 0; k < slots.Count; k++)
                if (grads[k + 1] is { IsInvalid: false } pg) Accumulate(parameterGradients, slots[k], pg);
            return grads[0] is { IsInvalid: false } gi ? gi : torch.zeros_like(input);
        }
    }
}
