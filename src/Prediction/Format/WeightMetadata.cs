using System.Text.Json.Serialization;

namespace NodeDsl.Runtime.Export;

/// <summary>Name, shape and element type of one saved parameter or buffer.</summary>
/// <param name="Name">State-dict name, e.g. <c>Damping.layer0.weight</c>.</param>
/// <param name="Shape">Shape.</param>
/// <param name="DType">TorchSharp element type name, e.g. <c>Float64</c>.</param>
public sealed record ParameterDescription(string Name, long[] Shape, string DType)
{
    /// <summary>Shape as text, e.g. <c>[16, 2]</c>.</summary>
    [JsonIgnore]
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>The range of one state component, input component or the time seen in the training data.</summary>
/// <param name="Name">Component name (<c>ModelLayout.ComponentNames</c> for states, <c>mu</c> or <c>c[1]</c> for inputs, <c>t</c> for time).</param>
/// <param name="Min">Smallest value in the training data.</param>
/// <param name="Max">Largest value in the training data.</param>
public sealed record ValueRange(string Name, double Min, double Max)
{
    /// <summary>True when <paramref name="value"/> lies in [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public bool Contains(double value) => value >= Min && value <= Max;
}

/// <summary>
/// What a weight file says about its model: stored as JSON in the file, readable without loading the tensors
/// (NodeDsl.Runtime's <c>WeightFile.ReadMetadata</c>). The runtime's <c>model.SaveWeights</c> fills in
/// <see cref="ModelType"/>, <see cref="Parameters"/>, <see cref="NodeDslVersion"/> and (when null) <see cref="Created"/>;
/// its <c>WeightMetadata.FromTraining</c> fills in the ranges, solver, tolerances and gradient method.
/// </summary>
public sealed record WeightMetadata
{
    /// <summary>Full name of the model type the weights were saved from, e.g. <c>SurrogateLibrary.DampedOscillator</c>.</summary>
    public string ModelType { get; init; } = "";
    /// <summary>Every saved parameter and buffer, in the model's order.</summary>
    public IReadOnlyList<ParameterDescription> Parameters { get; init; } = [];
    /// <summary>Per observed state component: the range of the training data (empty when unknown).</summary>
    public IReadOnlyList<ValueRange> States { get; init; } = [];
    /// <summary>Per input component: the range of the training data (empty for models without inputs or when unknown).</summary>
    public IReadOnlyList<ValueRange> Inputs { get; init; } = [];
    /// <summary>Range of the training data's observation times, or null when unknown.</summary>
    public ValueRange? Time { get; init; }
    /// <summary>Registry name of the solver the model was trained with (NodeDsl.Runtime's <c>Solvers.ByName</c>), e.g. <c>rk4</c>.</summary>
    public string Solver { get; init; } = "dopri5";
    /// <summary>Relative tolerance of the training solves (adaptive solvers).</summary>
    public double RelativeTolerance { get; init; } = 1e-6;
    /// <summary>Absolute tolerance of the training solves (adaptive solvers).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-8;
    /// <summary>Step size of the training solves (fixed-step solvers), or null.</summary>
    public double? StepSize { get; init; }
    /// <summary>Gradient method of the training (<c>direct</c>, <c>backsolve</c>, <c>checkpointed</c>, or <c>autograd</c>).</summary>
    public string GradientMethod { get; init; } = "autograd";
    /// <summary>Version of NodeDsl.Runtime that wrote the file.</summary>
    public string NodeDslVersion { get; init; } = "";
    /// <summary>When the file was written (UTC).</summary>
    public DateTimeOffset? Created { get; init; }
    /// <summary>Free text from the user (data source, training run, caveats).</summary>
    public string? Notes { get; init; }
}
