namespace NodeDsl;

/// <summary>Activation functions of generated perceptrons.</summary>
public enum Activation
{
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>1 / (1 + e^−x).</summary>
    Sigmoid,
    /// <summary>log(1 + e^x) (x above 20 is passed through, as in PyTorch).</summary>
    Softplus,
    /// <summary>x · sigmoid(x) (a.k.a. swish).</summary>
    Silu,
    /// <summary>x (a linear network).</summary>
    Identity,
}
