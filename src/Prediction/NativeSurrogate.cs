using System.Numerics;
using System.Runtime.InteropServices;
using NodeDsl.Numerics;
using NodeDsl.Prediction.Format;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Export;

namespace NodeDsl.Prediction;

/// <summary>
/// A trained model shipped as a library that predicts without libtorch: reads the same weight file as the TorchSharp
/// <c>Surrogate&lt;TModel&gt;</c> (by default an embedded resource of the derived class's assembly), checks it against
/// the model's kernel layout, and predicts through the model's generated native kernels with the explicit Runge–Kutta
/// method, tolerances and step size the metadata names, in the dtype the weights were saved in (float64 or float32).
/// Derive a typed class in a library that references NodeDsl.Prediction and not NodeDsl.Runtime:
/// <code>
/// public sealed class OscillatorSurrogate() : NativeSurrogate&lt;DampedOscillator&gt;(() =&gt; new DampedOscillator(), "Lite.Weights.damped-oscillator.nodew");
/// </code>
/// </summary>
/// <remarks>Each prediction allocates its own buffers, so one instance may be shared by threads (as long as nobody changes its settings meanwhile).</remarks>
public abstract class NativeSurrogate<TModel> : Surrogate where TModel : IPredictionModel
{
    readonly double[] theta;
    readonly bool float32;
    string solver = "";
    RungeKuttaTableau tableau = null!;

    /// <summary>Loads the weights from the embedded resource <paramref name="resourceName"/> of the derived class's assembly.</summary>
    /// <param name="create">Builds the model (<c>() =&gt; new MyModel()</c>).</param>
    /// <param name="resourceName">Manifest resource name (set it with <c>LogicalName</c> on the <c>EmbeddedResource</c> item).</param>
    /// <param name="rangePolicy">What happens when a prediction leaves the trained range.</param>
    /// <exception cref="WeightFileException">The resource is missing, invalid, or does not fit the model.</exception>
    /// <exception cref="NativeSolverUnavailableException">The weight file names a solver without a native form.</exception>
    protected NativeSurrogate(Func<TModel> create, string resourceName, RangePolicy rangePolicy = RangePolicy.Warn)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        var assembly = GetType().Assembly;
        using var stream = assembly.GetManifestResourceStream(resourceName) ?? throw WeightFileReader.MissingResource(assembly, resourceName);
        using var reader = WeightFileReader.Open(stream, $"{assembly.GetName().Name}/{resourceName}");
        (Model, theta, float32) = Load(create, reader);
        (Metadata, RangePolicy) = (reader.Metadata, rangePolicy);
        Solver = Metadata.Solver;
        Settings = new IntegrationSettings { RelativeTolerance = Metadata.RelativeTolerance, AbsoluteTolerance = Metadata.AbsoluteTolerance, StepSize = Metadata.StepSize };
    }

    /// <summary>Loads the weights from <paramref name="weights"/> (a weight file's bytes), named <paramref name="source"/> in messages.</summary>
    /// <inheritdoc cref="NativeSurrogate{TModel}(Func{TModel}, string, RangePolicy)"/>
    protected NativeSurrogate(Func<TModel> create, Stream weights, string source, RangePolicy rangePolicy = RangePolicy.Warn)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(weights);
        using var reader = WeightFileReader.Open(weights, source);
        (Model, theta, float32) = Load(create, reader);
        (Metadata, RangePolicy) = (reader.Metadata, rangePolicy);
        Solver = Metadata.Solver;
        Settings = new IntegrationSettings { RelativeTolerance = Metadata.RelativeTolerance, AbsoluteTolerance = Metadata.AbsoluteTolerance, StepSize = Metadata.StepSize };
    }

    /// <summary>The model, with the trained parameters loaded (<see cref="IPredictionModel.LoadParameters"/>).</summary>
    public TModel Model { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => Model.PredictionLayout.StateNames;

    /// <inheritdoc/>
    public override IReadOnlyList<string> InputNames => Model.PredictionLayout.InputNames;

    /// <summary>True when predictions run in float32 (the weights were saved in float32), else float64.</summary>
    public bool IsFloat32 => float32;

    /// <summary>
    /// Registry name of the solver of predictions (<see cref="NativeSolvers.Names"/>); by default the one in <see cref="Surrogate.Metadata"/>.
    /// </summary>
    /// <exception cref="NativeSolverUnavailableException">The solver has no native form.</exception>
    public string Solver
    {
        get => solver;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            tableau = NativeSolvers.TableauOf(value) ?? throw new NativeSolverUnavailableException(value, $"The surrogate of {typeof(TModel).Name}");
            solver = value;
        }
    }

    /// <summary>Tolerances, step size and step limit of predictions; by default those of <see cref="Surrogate.Metadata"/> (fixed-step solvers need a <c>StepSize</c>).</summary>
    public IntegrationSettings Settings { get; set; }

    private protected override string ModelName => typeof(TModel).Name;

    private protected override void CheckSettings() => CheckedSettings();

    private protected override double[] Solve(IReadOnlyList<double[]> initialStates, IReadOnlyList<double[]>? inputs, double[] times)
    {
        var settings = CheckedSettings();
        return float32 ? Solve<float>(initialStates, inputs, times, settings) : Solve<double>(initialStates, inputs, times, settings);
    }

    // The settings by the rules of the runtime's SolverOptions (OptionRules), so a bad value fails here, naming it.
    IntegrationSettings CheckedSettings()
    {
        var s = Settings ?? throw new InvalidOperationException("The surrogate's Settings are null; set them to an IntegrationSettings.");
        OptionRules.Require(OptionRules.Tolerance(s.RelativeTolerance), "Settings.RelativeTolerance");
        OptionRules.Require(OptionRules.Tolerance(s.AbsoluteTolerance), "Settings.AbsoluteTolerance");
        if (s.RelativeTolerance == 0 && s.AbsoluteTolerance == 0)
            throw new OdeArgumentException("Settings.RelativeTolerance and Settings.AbsoluteTolerance are both 0, so no adaptive step could be accepted.", "Settings");
        if (s.StepSize is { } h) OptionRules.Require(OptionRules.StepLength(h), "Settings.StepSize");
        else if (!tableau.IsAdaptive)
            throw new OdeArgumentException($"The fixed-step solver '{Solver}' needs Settings.StepSize; set it (the weight file's StepSize is the training step).", "Settings.StepSize");
        if (s.FirstStep is { } first) OptionRules.Require(OptionRules.StepLength(first), "Settings.FirstStep");
        OptionRules.Require(OptionRules.StepBound(s.MaxStep), "Settings.MaxStep");
        OptionRules.Require(OptionRules.AtLeast(s.MaxSteps, 1), "Settings.MaxSteps");
        return s;
    }

    // One batched solve in T; the observed components at every output time as [time, trajectory, component].
    double[] Solve<T>(IReadOnlyList<double[]> initialStates, IReadOnlyList<double[]>? inputs, double[] times, IntegrationSettings settings)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var kernel = Model.CreateKernel<T>();
        int batch = initialStates.Count, n = kernel.Layout.StateSize, observed = StateNames.Count, k = kernel.Layout.InputSize;
        var y0 = new T[batch * n];                      // unobserved components start at zero, as in the runtime's Augment
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < observed; j++) y0[b * n + j] = T.CreateTruncating(initialStates[b][j]);
        var inputValues = new T[inputs is null ? 0 : batch * k];
        for (int b = 0; inputs is not null && b < batch; b++)
            for (int j = 0; j < k; j++) inputValues[b * k + j] = T.CreateTruncating(inputs[b][j]);
        var parameters = new T[theta.Length];
        for (int i = 0; i < theta.Length; i++) parameters[i] = T.CreateTruncating(theta[i]);
        var field = new KernelField<T>(kernel, batch, parameters, inputValues, null);
        var integrator = new RungeKuttaIntegrator<T>(tableau, batch * n);
        // The runtime's default controller of explicit methods: an I-controller start-up unless the first step is given.
        IStepControl control = tableau.IsAdaptive
            ? new PIStepControl(tableau.ErrorOrder!.Value, settings.FirstStep is null ? PIStepControl.DefaultStartupErrorNorm : 0)
            : new FixedStep();
        var outputs = new T[times.Length * batch * n];
        integrator.Solve(field, y0, times, settings, control, outputs);
        var flat = new double[times.Length * batch * observed];
        for (int i = 0; i < times.Length; i++)
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < observed; j++)
                    flat[(i * batch + b) * observed + j] = double.CreateTruncating(outputs[(i * batch + b) * n + j]);
        return flat;
    }

    // Everything the metadata says is checked before the tensors are read (model type, then the parameter list against the
    // kernel layout, so no tensor is larger than the model's own); then θ is assembled in the layout's order.
    static (TModel, double[], bool) Load(Func<TModel> create, WeightFileReader reader)
    {
        var metadata = reader.Metadata;
        string expected = typeof(TModel).FullName ?? typeof(TModel).Name;
        if (metadata.ModelType != expected)
            throw reader.Reject(
                $"The surrogate's weights were exported from {metadata.ModelType}, but it builds {expected}. " +
                $"Export the weights from a {typeof(TModel).Name} (model.SaveWeights), or derive the surrogate from NativeSurrogate<{metadata.ModelType}>.");
        var model = create() ?? throw new InvalidOperationException($"The surrogate's create function returned null instead of a {typeof(TModel).Name}.");
        var layout = model.KernelLayout;
        if (metadata.States.Count > 0 && metadata.States.Count != model.PredictionLayout.StateNames.Count)
            throw reader.Reject(
                $"The weight file records ranges for {metadata.States.Count} states but {typeof(TModel).Name} observes {model.PredictionLayout.StateNames.Count} " +
                $"({string.Join(", ", model.PredictionLayout.StateNames)}); export the weights again.");
        var saved = WeightMetadataRules.Specs(metadata);
        // Build in the dtype the weights were saved in, so they are used bit for bit.
        var dtype = saved.Select(s => s.DType).FirstOrDefault(t => t is StoredDType.Float32 or StoredDType.Float64, StoredDType.Float64);
        var wanted = layout.Parameters.Select(p => new TensorSpec(p.Name, dtype, [.. p.Shape.Select(d => (long)d)])).ToArray();
        if (StoredTensors.FirstMismatch(saved, wanted, reader.What, "weight file") is { } mismatch)
            throw reader.Reject(
                $"{mismatch} The file was saved from {metadata.ModelType}; load it into a model built from the same declaration " +
                "(same networks and sizes), or export the weights again from this model.");
        if (NativeSolvers.TableauOf(metadata.Solver) is { IsAdaptive: false } && metadata.StepSize is null)
            throw reader.Reject($"{reader.What} names the fixed-step solver '{metadata.Solver}' but has no 'stepSize'. Export the weights again with the training's SolverOptions.StepSize.");
        var byName = reader.Finish().ToDictionary(t => t.Name, StringComparer.Ordinal);
        var theta = new double[layout.ParameterCount];
        foreach (var block in layout.Parameters)
        {
            var data = byName[block.Name].Data;
            var target = theta.AsSpan(block.Offset, block.Length);
            if (dtype == StoredDType.Float64) MemoryMarshal.Cast<byte, double>(data).CopyTo(target);
            else
            {
                var values = MemoryMarshal.Cast<byte, float>(data);
                for (int i = 0; i < values.Length; i++) target[i] = values[i];
            }
        }
        model.LoadParameters(theta);
        return (model, theta, dtype == StoredDType.Float32);
    }

    // Fixed-step methods ignore step control; the integrator still takes a controller.
    sealed class FixedStep : IStepControl
    {
        public bool Decide(double stepMagnitude, double errorNorm, out double nextStepMagnitude)
        {
            nextStepMagnitude = stepMagnitude;
            return true;
        }
    }
}
