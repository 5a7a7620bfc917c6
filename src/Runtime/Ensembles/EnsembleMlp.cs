using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Ensembles;

/// <summary>
/// M independent perceptrons evaluated as one batched network: layer <c>l</c> holds weights <c>[M, in, out]</c> and
/// biases <c>[M, 1, out]</c>, and an input <c>[M·B, in]</c> (member-major: rows <c>j·B … j·B + B − 1</c> belong to
/// member j) is viewed as <c>[M, B, in]</c> and multiplied with one batched matmul (<c>bmm</c>) per layer, so a single solve
/// advances every member.
/// </summary>
/// <remarks>
/// Not sealed: to use an ensemble as a custom DSL block (<c>[Neural(typeof(MyEnsemble))]</c>, which needs a
/// parameterless constructor) derive a class that fixes the sizes, e.g.
/// <c>sealed class MyEnsemble() : EnsembleMlp(10, 2, [50], 2)</c>. The generated model's rows are then the
/// ensemble's <c>M·B</c> rows (see <see cref="EnsembleRows"/>).
/// </remarks>
public class EnsembleMlp : nn.Module<Tensor, Tensor>
{
    readonly Parameter[] weights;
    readonly Parameter[] biases;

    /// <summary>
    /// Creates the layers in <paramref name="dtype"/> on <paramref name="device"/>, initialised like
    /// <c>nn.Linear</c> (uniform in ±1/√fan_in) from <paramref name="generator"/>, else from
    /// <see cref="SeededConstruction.Current"/> (a seeded construction on this thread), else from the global generator;
    /// anchored ensembles overwrite them with a prior draw (<see cref="GaussianPrior.Initialize"/>).
    /// </summary>
    public EnsembleMlp(int members, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation = Activation.Tanh,
        ScalarType dtype = ScalarType.Float32, Device? device = null, string name = nameof(EnsembleMlp), Generator? generator = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), $"An ensemble needs at least one member, not {members}.");
        if (inputSize <= 0 || outputSize <= 0 || hiddenSizes.Any(h => h <= 0))
            throw new ArgumentException("Layer widths must be positive.");
        var widths = new[] { inputSize }.Concat(hiddenSizes).Append(outputSize).ToArray();
        weights = new Parameter[widths.Length - 1];
        biases = new Parameter[widths.Length - 1];
        generator ??= SeededConstruction.Current;
        for (int l = 0; l < weights.Length; l++)
        {
            double bound = 1.0 / System.Math.Sqrt(widths[l]);
            weights[l] = LayerInitialization.Uniform([members, widths[l], widths[l + 1]], bound, dtype, device, generator);
            biases[l] = LayerInitialization.Uniform([members, 1, widths[l + 1]], bound, dtype, device, generator);
            register_parameter($"weight{l}", weights[l]);
            register_parameter($"bias{l}", biases[l]);
        }
        (Members, InputSize, OutputSize, Activation) = (members, inputSize, outputSize, activation);
        Widths = widths;
    }

    /// <summary>M, the number of members.</summary>
    public int Members { get; }
    /// <summary>Width of a member's input.</summary>
    public int InputSize { get; }
    /// <summary>Width of a member's output.</summary>
    public int OutputSize { get; }
    /// <summary>Activation between layers (none after the last).</summary>
    public Activation Activation { get; }
    /// <summary>Layer widths from input to output, e.g. <c>[2, 50, 2]</c>.</summary>
    public IReadOnlyList<int> Widths { get; }
    /// <summary>Weights per layer, <c>[M, in, out]</c> (member j's layer computes <c>x·W[j] + b[j]</c>).</summary>
    public IReadOnlyList<Parameter> Weights => weights;
    /// <summary>Biases per layer, <c>[M, 1, out]</c>.</summary>
    public IReadOnlyList<Parameter> Biases => biases;

    /// <summary>Evaluates all members on <c>[M·B, InputSize]</c> (member-major rows); returns <c>[M·B, OutputSize]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != InputSize || input.shape[0] % Members != 0)
            throw new ArgumentException(
                $"{GetName()} takes [members·batch, {InputSize}] with {Members} members, not [{string.Join(", ", input.shape)}]. " +
                "Stack one copy of the batch per member (EnsembleRows.Replicate, or TrainerOptions.Replicas = members).", nameof(input));
        using var scope = NewDisposeScope();
        long batch = input.shape[0] / Members;
        var x = input.view(Members, batch, InputSize);
        for (int l = 0; l < weights.Length; l++)
        {
            x = x.bmm(weights[l]).add_(biases[l], ScalarOps.One);   // [M, B, in]·[M, in, out] + [M, 1, out]
            if (l < weights.Length - 1) x = Activate(x);
        }
        return x.reshape(Members * batch, OutputSize).MoveToOuterDisposeScope();
    }

    Tensor Activate(Tensor z) => Activations.Apply(Activation, z);
}
