using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The capability of a network module that differentiates itself without autograd: generated VJPs record it with
/// <see cref="Record"/> and take its input gradient from <see cref="InputGradient"/> (<see cref="NetworkTapes"/>); any other
/// module is differentiated with a local autograd graph. <see cref="Mlp"/> declares it.
/// </summary>
public interface IAnalyticNetwork
{
    /// <summary>Evaluates the network on <c>[batch, inputs]</c> and keeps what its own backward pass needs.</summary>
    NetworkTape Record(Tensor input);

    /// <summary>Gradient of output <paramref name="output"/> with respect to the input, <c>[batch, inputs]</c>; differentiable
    /// by autograd (Hamilton's equations take it from a network, and its VJP is a Hessian–vector product).</summary>
    Tensor InputGradient(Tensor input, int output);
}
