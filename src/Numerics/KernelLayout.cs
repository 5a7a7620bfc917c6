namespace NodeDsl.Numerics;

/// <summary>
/// One tensor of a model's parameters inside the flat θ buffer of its kernels: <c>θ[Offset .. Offset + Length]</c>, holding a
/// tensor of <see cref="Shape"/> row-major (a learnable scalar has shape <c>[]</c>, a perceptron weight <c>[out, in]</c>, a bias <c>[out]</c>).
/// </summary>
/// <param name="Name">The torch parameter name, e.g. <c>alpha</c> or <c>Net.layer0.weight</c>.</param>
public sealed record ParameterBlock(string Name, int Offset, IReadOnlyList<int> Shape)
{
    /// <summary>Number of values (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public int Length => Shape.Aggregate(1, (p, s) => p * s);
}

/// <summary>
/// What a model's native kernels read and write. Rows are trajectories (row-major <c>[batch, n]</c> spans); θ is one flat
/// buffer: the model's torch <c>parameters()</c> in registration order — learnable scalars, then each network's
/// <c>layer{l}.weight</c> (<c>[out, in]</c> row-major) and <c>layer{l}.bias</c> — so all parameters go in, and all gradients
/// come out, with one contiguous copy each.
/// </summary>
public sealed class KernelLayout
{
    /// <summary>Creates a layout (the generator emits one per eligible model).</summary>
    public KernelLayout(string model, int stateSize, int inputSize, IReadOnlyList<ParameterBlock> parameters, bool dependsOnTime, int workspacePerRow,
                        int recordPerRow = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(recordPerRow);
        // The workspace holds one record for the calls that are not given one (Rates, and Vjp that records its own point).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recordPerRow, workspacePerRow);
        Model = model;
        StateSize = stateSize;
        InputSize = inputSize;
        Parameters = parameters;
        DependsOnTime = dependsOnTime;
        WorkspacePerRow = workspacePerRow;
        RecordPerRow = recordPerRow;
        int next = 0;
        foreach (var p in parameters)
        {
            if (p.Offset != next)
                throw new ArgumentException($"Parameter block '{p.Name}' starts at {p.Offset}, expected {next}: blocks must be contiguous and in order.", nameof(parameters));
            next += p.Length;
        }
        ParameterCount = next;
    }

    /// <summary>Name of the model class.</summary>
    public string Model { get; }

    /// <summary>Components per row of <c>y</c>, <c>f</c> and the cotangent.</summary>
    public int StateSize { get; }

    /// <summary>Components per row of the per-trajectory inputs (0 when the model has no <c>[Input]</c>).</summary>
    public int InputSize { get; }

    /// <summary>The tensors in θ, in <c>parameters()</c> order.</summary>
    public IReadOnlyList<ParameterBlock> Parameters { get; }

    /// <summary>Length of θ.</summary>
    public int ParameterCount { get; }

    /// <summary>True when the rates depend on time (otherwise aᵀ∂f/∂t is zero).</summary>
    public bool DependsOnTime { get; }

    /// <summary>Scratch values per batch row that a <see cref="KernelWorkspace{T}"/> provides.</summary>
    public int WorkspacePerRow { get; }

    /// <summary>
    /// Values per batch row of a record (<see cref="RatesKernel{T}.RecordRates"/>): what the VJP at the same point reads
    /// instead of evaluating the networks again — each network call's input and output and each hidden layer's
    /// pre-activation and activation. 0 for a model without networks.
    /// </summary>
    public int RecordPerRow { get; }
}
