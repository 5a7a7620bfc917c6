using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>The DSL's activation functions as tensor ops, shared by <see cref="Mlp"/> and the ensemble networks.</summary>
internal static class Activations
{
    /// <summary><paramref name="activation"/> applied elementwise to <paramref name="z"/> (out of place, differentiable).</summary>
    public static Tensor Apply(Activation activation, Tensor z) => activation switch
    {
        Activation.Tanh => z.tanh(),
        Activation.Relu => z.relu(),
        Activation.Sigmoid => z.sigmoid(),
        Activation.Softplus => nn.functional.softplus(z),
        Activation.Silu => z * z.sigmoid(),
        Activation.Identity => z,
        _ => throw new InvalidOperationException($"Unknown activation {activation}."),
    };
}
