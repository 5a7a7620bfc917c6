using System.Reflection;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Export;

/// <summary>Construction options of a <see cref="Surrogate{TModel}"/>.</summary>
public sealed record SurrogateOptions
{
    /// <summary>What happens when a prediction leaves the trained range; <see cref="RangePolicy.Warn"/> by default.</summary>
    public RangePolicy RangePolicy { get; init; } = RangePolicy.Warn;

    /// <summary>Device of the model; the CPU when null.</summary>
    public Device? Device { get; init; }
}

/// <summary>
/// A trained model shipped as a library: builds <typeparamref name="TModel"/>, loads its weights (by default from an
/// embedded resource of the derived class's assembly), exposes the <see cref="Surrogate.Metadata"/> and predicts named states,
/// solving with the solver and tolerances the model was trained with. Derive a typed class in the library:
/// <code>
/// public sealed class DampedOscillatorSurrogate() : Surrogate&lt;DampedOscillator&gt;(o =&gt; new DampedOscillator(o), "SurrogateLibrary.Weights.damped-oscillator.nodew");
/// </code>
/// </summary>
/// <remarks>Predictions are serialised with a lock (the model's inputs are per call state), so one instance may be shared by threads.</remarks>
public abstract class Surrogate<TModel> : Surrogate, IDisposable where TModel : OdeModel
{
    readonly Lock gate = new();
    readonly string[] stateNames;

    /// <summary>Loads the weights from the embedded resource <paramref name="resourceName"/> of the derived class's assembly.</summary>
    /// <param name="create">Builds the model from options (the generated constructor: <c>o =&gt; new MyModel(o)</c>).</param>
    /// <param name="resourceName">Manifest resource name (set it with <c>LogicalName</c> on the <c>EmbeddedResource</c> item).</param>
    /// <param name="options">Range policy and device.</param>
    /// <exception cref="WeightFileException">The resource is missing, invalid, or does not fit the model.</exception>
    protected Surrogate(Func<ModelOptions, TModel> create, string resourceName, SurrogateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        var assembly = GetType().Assembly;
        using var stream = assembly.GetManifestResourceStream(resourceName) ?? throw WeightFileReader.MissingResource(assembly, resourceName);
        using var reader = WeightFileReader.Open(stream, $"{assembly.GetName().Name}/{resourceName}");
        (Model, stateNames, Solver) = Build(create, reader, options);
        (Metadata, SolverOptions, RangePolicy) = (reader.Metadata, reader.Metadata.SolverOptions(), options?.RangePolicy ?? RangePolicy.Warn);
    }

    /// <summary>Loads the weights from <paramref name="weights"/> (a weight file's bytes), named <paramref name="source"/> in messages.</summary>
    /// <exception cref="WeightFileException">The file is invalid or does not fit the model.</exception>
    protected Surrogate(Func<ModelOptions, TModel> create, Stream weights, string source, SurrogateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(weights);
        using var reader = WeightFileReader.Open(weights, source);
        (Model, stateNames, Solver) = Build(create, reader, options);
        (Metadata, SolverOptions, RangePolicy) = (reader.Metadata, reader.Metadata.SolverOptions(), options?.RangePolicy ?? RangePolicy.Warn);
    }

    /// <summary>The model with the trained weights (in evaluation mode).</summary>
    public TModel Model { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => stateNames;

    /// <inheritdoc/>
    public override IReadOnlyList<string> InputNames => [.. Model.Layout.Inputs.SelectMany(i => i.Size == 1 ? [i.Name] : Enumerable.Range(0, i.Size).Select(k => $"{i.Name}[{k}]"))];

    /// <summary>The solver of predictions; by default the one named in <see cref="Surrogate.Metadata"/>.</summary>
    public IOdeSolver Solver { get; set; }

    /// <summary>Tolerances and step size of predictions; by default those of <see cref="Surrogate.Metadata"/>.</summary>
    public SolverOptions SolverOptions { get; set; }

    private protected override string ModelName => typeof(TModel).Name;

    private protected override double[] Solve(IReadOnlyList<double[]> initialStates, IReadOnlyList<double[]>? inputs, double[] times)
    {
        var layout = Model.Layout;
        int batch = initialStates.Count, observed = layout.ObservedSize;
        double[] flat;
        lock (gate)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var y0 = Model.Augment(tensor(initialStates.SelectMany(s => s).ToArray(), [batch, observed], ScalarType.Float64).to(Model.DType, Model.Device));
            var ts = tensor(times, ScalarType.Float64).to(Model.DType, Model.Device);
            Model.Inputs = inputs is null ? null
                : tensor(inputs.SelectMany(s => s).ToArray(), [batch, layout.InputSize], ScalarType.Float64).to(Model.DType, Model.Device);
            try
            {
                var solution = Ode.Solve(Model, y0, ts, Solver, SolverOptions);
                flat = Model.Observed(solution.Ys).to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
            }
            finally { Model.Inputs = null; }
        }
        return flat;
    }

    /// <summary>Frees the model's tensors.</summary>
    public void Dispose()
    {
        Model.Dispose();
        GC.SuppressFinalize(this);
    }

    // Everything the metadata says is checked before the tensors are read, and the tensors are read only after the
    // model exists, so that their sizes are bounded by the model's; the model is disposed if anything fails.
    static (TModel, string[], IOdeSolver) Build(Func<ModelOptions, TModel> create, WeightFileReader reader, SurrogateOptions? options)
    {
        var metadata = reader.Metadata;
        string expected = typeof(TModel).FullName ?? typeof(TModel).Name;
        if (metadata.ModelType != expected)
            throw reader.Reject(
                $"The surrogate's weights were exported from {metadata.ModelType}, but it builds {expected}. " +
                $"Export the weights from a {typeof(TModel).Name} (model.SaveWeights), or derive the surrogate from Surrogate<{metadata.ModelType}>.");
        IOdeSolver solver;
        try { solver = Solvers.ByName(metadata.Solver); }
        catch (ArgumentException e)
        {
            throw reader.Reject($"The weight file names the solver '{metadata.Solver}', which this NodeDsl.Runtime does not have ({e.Message}). Export the weights again with one of them.");
        }
        if (!solver.IsAdaptive && metadata.StepSize is null)
            throw reader.Reject($"{reader.What} names the fixed-step solver '{solver.Name}' but has no 'stepSize'. Export the weights again with the training's SolverOptions.StepSize.");
        // Build the model in the dtype it was saved in, so the weights load bit for bit.
        var dtype = WeightMetadataRules.Specs(metadata).Select(p => (ScalarType)(int)p.DType).FirstOrDefault(t => t is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16, ScalarType.Float64);
        var model = create(new ModelOptions { DType = dtype, Device = options?.Device });
        try
        {
            var layout = model.Layout;
            var names = layout.ComponentNames.Take(layout.ObservedSize).ToArray();
            if (metadata.States.Count > 0 && metadata.States.Count != names.Length)
                throw reader.Reject(
                    $"The weight file records ranges for {metadata.States.Count} states but {typeof(TModel).Name} observes {names.Length} ({string.Join(", ", names)}); export the weights again.");
            WeightFileExtensions.Load(model, reader);
            model.eval();
            return (model, names, solver);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

}
