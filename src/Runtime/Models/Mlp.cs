using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The perceptron behind <c>[Neural(hidden…)]</c>: affine layers with an activation between them (none after the
/// last). Besides <see cref="forward"/> it has a manual input backward (<see cref="InputVjp"/>, tensor ops, no
/// autograd) used for ∂H/∂x in Hamiltonian models and analytic VJPs, and scalar versions of both that read
/// the current weights (the test oracle).
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, IAnalyticNetwork
{
    readonly Linear[] layers;

    /// <summary>
    /// Creates the layers in <paramref name="dtype"/> on <paramref name="device"/>, initialised like <c>nn.Linear</c>
    /// (<see cref="LayerInitialization"/>) from <paramref name="generator"/>, else from
    /// <see cref="SeededConstruction.Current"/> (a seeded construction on this thread), else from torch's global generator.
    /// </summary>
    public Mlp(string name, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation,
               ScalarType dtype = ScalarType.Float32, Device? device = null, Generator? generator = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (inputSize <= 0 || outputSize <= 0 || hiddenSizes.Any(h => h <= 0))
            throw new ArgumentException("Layer widths must be positive.");
        var widths = new[] { inputSize }.Concat(hiddenSizes).Append(outputSize).ToArray();
        generator ??= SeededConstruction.Current;
        layers = new Linear[widths.Length - 1];
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = LayerInitialization.Linear(widths[i], widths[i + 1], dtype, device, generator);
            register_module($"layer{i}", layers[i]);
        }
        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation;
    }

    /// <summary>Width of the input.</summary>
    public int InputSize { get; }
    /// <summary>Width of the output.</summary>
    public int OutputSize { get; }
    /// <summary>Activation between layers.</summary>
    public Activation Activation { get; }

    /// <summary>Weights and biases in order (layer0.weight, layer0.bias, …).</summary>
    public IReadOnlyList<Linear> Layers => layers;

    /// <summary>Evaluates the network on <c>[batch, InputSize]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Length; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Length - 1) x = Activate(x);
        }
        return x;
    }

    /// <summary>
    /// Vector–Jacobian product with respect to the input: <c>gradOutput · ∂net/∂x</c>, <c>[batch, InputSize]</c>, by a
    /// manual backward pass through the layers (differentiable, so it can itself be trained through).
    /// </summary>
    /// <param name="input"><c>[batch, InputSize]</c>.</param>
    /// <param name="gradOutput"><c>[batch, OutputSize]</c> or <c>[1, OutputSize]</c> (broadcast).</param>
    public Tensor InputVjp(Tensor input, Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        var (pre, post, _) = HiddenLayers(input);
        // y = a Wᵀ + b  ⇒  ∂L/∂a = ∂L/∂y · W;   a = σ(z)  ⇒  ∂L/∂z = ∂L/∂a ⊙ σ'(z).
        // mm, not matmul: TorchSharp's matmul ends the process on a dtype mismatch (e.g. float64 adjoint, float32 weights).
        var g = (gradOutput.dim() == 1 ? gradOutput.unsqueeze(0) : gradOutput).mm(layers[^1].weight!);
        for (int i = layers.Length - 2; i >= 0; i--)
        {
            g = g * ActivationDerivative(pre[i], post[i]);
            g = g.mm(layers[i].weight!);
        }
        return g.dim() == 2 && g.shape[0] == input.shape[0] ? g : g.expand(input.shape[0], InputSize);
    }

    /// <summary>
    /// Evaluates the network on <c>[batch, InputSize]</c> and keeps the layer activations for <see cref="MlpTape.Backward"/>,
    /// the parameter VJP of generated models (no autograd graph is built or needed).
    /// </summary>
    public MlpTape Record(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (pre, post, last) = HiddenLayers(input);
        return new MlpTape(this, input, pre, post, layers[^1].forward(last));
    }

    // The hidden layers' pre-activations z and activations a = σ(z), and the input of the output layer.
    (Tensor[] Pre, Tensor[] Post, Tensor Last) HiddenLayers(Tensor input)
    {
        var pre = new Tensor[layers.Length - 1];
        var post = new Tensor[layers.Length - 1];
        var x = input;
        for (int i = 0; i < layers.Length - 1; i++)
        {
            pre[i] = layers[i].forward(x);
            post[i] = Activate(pre[i]);
            x = post[i];
        }
        return (pre, post, x);
    }

    /// <summary>
    /// The layer backward for a recorded evaluation: with <c>y = a Wᵀ + b</c>, <c>∂L/∂W = gᵀa</c>, <c>∂L/∂b = Σ_rows g</c>,
    /// <c>∂L/∂a = g W</c>, and <c>∂L/∂z = ∂L/∂a ⊙ σ'(z)</c> through each activation.
    /// </summary>
    internal Tensor Backward(Tensor input, Tensor[] pre, Tensor[] post, Tensor gradOutput, Tensor?[] parameterGradients, Action<Tensor?[], int, Tensor> accumulate)
    {
        var g = gradOutput;
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            var a = l == 0 ? input : post[l - 1];
            var weight = layers[l].weight!;
            if (weight.requires_grad) accumulate(parameterGradients, 2 * l, g.t().mm(a));
            if (layers[l].bias is { requires_grad: true }) accumulate(parameterGradients, 2 * l + 1, g.sum(0L));
            g = g.mm(weight);
            if (l > 0 && Activation != Activation.Identity) g = g.mul(ActivationDerivative(pre[l - 1], post[l - 1]));
        }
        return g;
    }

    NetworkTape IAnalyticNetwork.Record(Tensor input) => Record(input);

    /// <summary>Gradient of output <paramref name="output"/> with respect to the input, <c>[batch, InputSize]</c>.</summary>
    public Tensor InputGradient(Tensor input, int output)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var onehot = torch.zeros(new long[] { 1, OutputSize }, input.dtype, input.device);
        onehot[0, output] = torch.tensor(1.0, input.dtype, input.device);
        return InputVjp(input, onehot);
    }

    /// <summary>Evaluates the network on one input in C# doubles from the current weights.</summary>
    public double[] EvaluateScalar(double[] input)
    {
        var (weights, biases) = HostWeights();
        var x = CheckInput(input);
        for (int l = 0; l < weights.Length; l++)
        {
            x = Affine(weights[l], biases[l], x);
            if (l < weights.Length - 1)
                for (int j = 0; j < x.Length; j++) x[j] = ActivateScalar(x[j]);
        }
        return x;
    }

    /// <summary>∂ output[<paramref name="output"/>] / ∂ input in C# doubles from the current weights.</summary>
    public double[] InputGradientScalar(double[] input, int output)
    {
        var (weights, biases) = HostWeights();
        var x = CheckInput(input);
        var pre = new double[weights.Length - 1][];
        for (int l = 0; l < weights.Length - 1; l++)
        {
            pre[l] = Affine(weights[l], biases[l], x);
            x = pre[l].Select(ActivateScalar).ToArray();
        }
        var last = weights[^1];
        var g = last[output].ToArray();
        for (int l = weights.Length - 2; l >= 0; l--)
        {
            for (int j = 0; j < g.Length; j++) g[j] *= ActivationDerivativeScalar(pre[l][j]);
            var w = weights[l];
            var next = new double[w[0].Length];
            for (int j = 0; j < w.Length; j++)
                for (int k = 0; k < next.Length; k++) next[k] += g[j] * w[j][k];
            g = next;
        }
        return g;
    }

    double[] CheckInput(double[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != InputSize) throw new ArgumentException($"{GetName()} takes {InputSize} inputs, not {input.Length}.", nameof(input));
        return (double[])input.Clone();
    }

    static double[] Affine(double[][] w, double[] b, double[] x)
    {
        var y = new double[w.Length];
        for (int j = 0; j < w.Length; j++)
        {
            double s = b[j];
            var row = w[j];
            for (int k = 0; k < x.Length; k++) s += row[k] * x[k];
            y[j] = s;
        }
        return y;
    }

    (double[][][] Weights, double[][] Biases) HostWeights()
    {
        var weights = new double[layers.Length][][];
        var biases = new double[layers.Length][];
        for (int l = 0; l < layers.Length; l++)
        {
            using var w = layers[l].weight!.detach().to(ScalarType.Float64, CPU).contiguous();
            using var b = layers[l].bias!.detach().to(ScalarType.Float64, CPU).contiguous();
            var flat = w.data<double>().ToArray();
            int cols = (int)w.shape[1];
            weights[l] = Enumerable.Range(0, (int)w.shape[0]).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
            biases[l] = b.data<double>().ToArray();
        }
        return (weights, biases);
    }

    Tensor Activate(Tensor z) => Activations.Apply(Activation, z);

    // σ'(z) given z and a = σ(z).
    Tensor ActivationDerivative(Tensor z, Tensor a) => Activation switch
    {
        Activation.Tanh => ScalarOps.RSub(1.0, a * a),
        Activation.Relu => ScalarOps.Gt(z, 0.0).to(z.dtype),
        Activation.Sigmoid => a * ScalarOps.RSub(1.0, a),
        Activation.Softplus => z.sigmoid(),
        Activation.Silu => SiluDerivative(z),
        Activation.Identity => torch.ones_like(z),
        _ => throw new InvalidOperationException($"Unknown activation {Activation}."),
    };

    static Tensor SiluDerivative(Tensor z)
    {
        var s = z.sigmoid();
        return s + z * s * ScalarOps.RSub(1.0, s);
    }

    double ActivateScalar(double z) => Activation switch
    {
        Activation.Tanh => NodeDsl.DslMath.Tanh(z),
        Activation.Relu => NodeDsl.DslMath.Relu(z),
        Activation.Sigmoid => NodeDsl.DslMath.Sigmoid(z),
        Activation.Softplus => NodeDsl.DslMath.Softplus(z),
        Activation.Silu => z * NodeDsl.DslMath.Sigmoid(z),
        Activation.Identity => z,
        _ => throw new InvalidOperationException($"Unknown activation {Activation}."),
    };

    double ActivationDerivativeScalar(double z)
    {
        switch (Activation)
        {
            case Activation.Tanh: { double a = System.Math.Tanh(z); return 1.0 - a * a; }
            case Activation.Relu: return z > 0 ? 1.0 : 0.0;
            case Activation.Sigmoid: { double a = NodeDsl.DslMath.Sigmoid(z); return a * (1.0 - a); }
            case Activation.Softplus: return NodeDsl.DslMath.Sigmoid(z);
            case Activation.Silu: { double s = NodeDsl.DslMath.Sigmoid(z); return s + z * s * (1.0 - s); }
            case Activation.Identity: return 1.0;
            default: throw new InvalidOperationException($"Unknown activation {Activation}.");
        }
    }
}

/// <summary>
/// A recorded <see cref="Mlp"/> evaluation (<see cref="Mlp.Record"/>): its backward is the perceptron's own layer
/// backward over the stored activations, giving the input cotangent and the weight and bias gradients without autograd.
/// Gradient slots follow <c>parameters()</c>: layer0.weight, layer0.bias, layer1.weight, …
/// </summary>
public sealed class MlpTape : NetworkTape
{
    readonly Mlp mlp;
    readonly Tensor input;
    readonly Tensor[] pre;
    readonly Tensor[] post;

    internal MlpTape(Mlp mlp, Tensor input, Tensor[] pre, Tensor[] post, Tensor output) : base(output)
    {
        this.mlp = mlp;
        this.input = input;
        this.pre = pre;
        this.post = post;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor gradOutput, Tensor?[] parameterGradients)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(parameterGradients);
        return mlp.Backward(input, pre, post, gradOutput, parameterGradients, Accumulate);
    }
}
