namespace NodeDsl.Generators.Emitting;

/// <summary>
/// How the generated code calls one network, chosen once from <see cref="NetworkSpec.Module"/>: a built-in perceptron
/// (NodeDsl.Runtime.Mlp, with its own analytic backward and scalar evaluation) or a custom TorchSharp module (opaque, so
/// input gradients, tapes and scalar evaluation go through autograd in NodeDsl.Runtime.ModuleOps/NetworkTapes).
/// </summary>
internal abstract class NetworkCode
{
    protected NetworkCode(NetworkSpec network)
    {
        Network = network;
        Field = "this." + Names.NetworkField(network.Name);
    }

    public NetworkSpec Network { get; }

    /// <summary>The module field, <c>this.__n_Name</c>.</summary>
    public string Field { get; }

    public static NetworkCode For(NetworkSpec network) => network.Module switch
    {
        PerceptronModule perceptron => new PerceptronCode(network, perceptron),
        CustomModule custom => new CustomModuleCode(network, custom),
        _ => throw new System.InvalidOperationException("Unknown network module " + network.Module.GetType().Name),
    };

    /// <summary>The type of the module field.</summary>
    public abstract string FieldType { get; }

    /// <summary>An expression that constructs the module (inside the model's constructor).</summary>
    public abstract string Create { get; }

    /// <summary>The architecture as the model's layout describes it, e.g. "MLP 2→32→2 (Tanh)".</summary>
    public abstract string Architecture { get; }

    /// <summary>The batched forward pass.</summary>
    public string Forward(string input) => $"{Field}.forward({input})";

    /// <summary>One input row (double[]) → the output row (double[]).</summary>
    public abstract string EvaluateScalar(string row);

    /// <summary>∂ output[k] / ∂ input at one input row (double[]).</summary>
    public abstract string InputGradientScalar(string row, int output);

    /// <summary>Batched ∂ output[k] / ∂ input.</summary>
    public abstract string InputGradient(string input, int output);

    /// <summary>A NodeDsl.Runtime.NetworkTape of the forward pass, for the generated VJP.</summary>
    public abstract string Record(string input);

    /// <summary>A tape of ∂ output[k] / ∂ input (autograd for both kinds: its VJP needs second derivatives).</summary>
    public string RecordInputGradient(string input, int output)
        => $"{Names.NetworkTapes}.RecordInputGradient({Field}, {input}, {Literals.Int(output)}, {Literals.Int(Network.OutputSize)})";

    /// <summary>An empty parameter-gradient array, one slot per <c>parameters()</c> entry.</summary>
    public abstract string Slots { get; }

    sealed class PerceptronCode(NetworkSpec network, PerceptronModule perceptron) : NetworkCode(network)
    {
        public override string FieldType => Names.Mlp;

        public override string Create
            => $"new {Names.Mlp}({Literals.String(Network.Name)}, {Literals.Int(Network.InputSize)}, new int[] {{ {string.Join(", ", perceptron.HiddenSizes.Select(Literals.Int))} }}, " +
               $"{Literals.Int(Network.OutputSize)}, global::NodeDsl.Activation.{perceptron.Activation}, this.DType, this.Device)";

        public override string Architecture
            => $"MLP {string.Join("→", new[] { Network.InputSize }.Concat(perceptron.HiddenSizes).Concat(new[] { Network.OutputSize }).Select(Literals.Int))} ({perceptron.Activation})";

        public override string EvaluateScalar(string row) => $"{Field}.EvaluateScalar({row})";

        public override string InputGradientScalar(string row, int output) => $"{Field}.InputGradientScalar({row}, {Literals.Int(output)})";

        public override string InputGradient(string input, int output) => $"{Field}.InputGradient({input}, {Literals.Int(output)})";

        public override string Record(string input) => $"{Field}.Record({input})";

        // Weight and bias per layer.
        public override string Slots => $"new {Names.Tensor}?[{Literals.Int(2 * (perceptron.HiddenSizes.Count + 1))}]";
    }

    sealed class CustomModuleCode(NetworkSpec network, CustomModule module) : NetworkCode(network)
    {
        const string Device = "this.DType, this.Device";

        public override string FieldType => module.TypeName;

        public override string Create => $"new {module.TypeName}()";

        public override string Architecture => module.DisplayName;

        public override string EvaluateScalar(string row) => $"{Names.ModuleOps}.EvaluateScalar({Field}, {row}, {Device})";

        public override string InputGradientScalar(string row, int output)
            => $"{Names.ModuleOps}.InputGradientScalar({Field}, {row}, {Literals.Int(output)}, {Literals.Int(Network.OutputSize)}, {Device})";

        public override string InputGradient(string input, int output)
            => $"{Names.ModuleOps}.InputGradient({Field}, {input}, {Literals.Int(output)}, {Literals.Int(Network.OutputSize)})";

        public override string Record(string input) => $"{Names.NetworkTapes}.Record({Field}, {input})";

        public override string Slots => $"{Names.NetworkTapes}.Slots({Field})";
    }
}
