using NodeDsl.Numerics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Export;
using static NodeDsl.Runtime.OptionRules;

namespace NodeDsl.Prediction.Format;

/// <summary>
/// What a <see cref="WeightMetadata"/> must satisfy, checked when a weight file is written and when it is read: no null
/// where the type has none, parameters with unique names, known dtypes and possible shapes, ranges without NaN, and
/// solver settings that pass the rules of user options (<see cref="OptionRules"/>). Problems name the JSON field.
/// </summary>
internal static class WeightMetadataRules
{
    /// <summary>The first problem, e.g. <c>'stepSize' is NaN, but must be …</c>, or null.</summary>
    public static string? Problem(WeightMetadata m)
    {
        if (m.ModelType is null) return "'modelType' is null";
        if (ParametersProblem(m.Parameters) is { } parameters) return parameters;
        if (RangesProblem(m.States, "states") is { } states) return states;
        if (RangesProblem(m.Inputs, "inputs") is { } inputs) return inputs;
        if (m.Time is { } time && RangeProblem(time, "time") is { } t) return t;
        if (string.IsNullOrEmpty(m.Solver)) return "'solver' is empty; it must name a solver (Solvers.ByName), e.g. \"dopri5\"";
        if (Tolerance(m.RelativeTolerance) is { } rtol) return $"'relativeTolerance' {rtol}";
        if (Tolerance(m.AbsoluteTolerance) is { } atol) return $"'absoluteTolerance' {atol}";
        if (m.RelativeTolerance == 0 && m.AbsoluteTolerance == 0) return "'relativeTolerance' and 'absoluteTolerance' are both 0, so no adaptive step could be accepted";
        if (m.StepSize is { } h)
        {
            if (StepLength(h) is { } step) return $"'stepSize' {step}";
            // A prediction over the trained time range must fit the default step budget, or every Predict would run
            // MaxSteps steps before failing (stepSize 1e-12 over [0, 2] took a minute per call).
            // (The runtime's SolverOptions.MaxSteps has the same default; a runtime test checks it.)
            int budget = new IntegrationSettings().MaxSteps;
            if (m.Time is { } range && (range.Max - range.Min) / h is var steps && steps > budget)
                return $"'stepSize' is {Show(h)}, which needs {steps:G3} steps to cover the trained time range [{Show(range.Min)}, {Show(range.Max)}], " +
                       $"more than the {budget} steps a prediction allows";
        }
        if (m.GradientMethod is null) return "'gradientMethod' is null";
        if (m.NodeDslVersion is null) return "'nodeDslVersion' is null";
        return null;
    }

    /// <summary>The parameters as tensor specs; call after <see cref="Problem"/> returned null.</summary>
    public static TensorSpec[] Specs(WeightMetadata m) => m.Parameters.Select(p => new TensorSpec(p.Name, TensorSpec.Parse(p.DType)!.Value, p.Shape)).ToArray();

    static string? ParametersProblem(IReadOnlyList<ParameterDescription>? parameters)
    {
        if (parameters is null) return "'parameters' is null";
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            string field = $"'parameters[{i}]'";
            if (p is null) return $"{field} is null";
            if (string.IsNullOrEmpty(p.Name)) return $"{field} has no name";
            if (!names.Add(p.Name)) return $"{field} repeats the name '{p.Name}'";
            if (p.Shape is null) return $"{field} ('{p.Name}') has no shape";
            if (TensorSpec.Parse(p.DType) is not { } dtype)
                return $"{field} ('{p.Name}') has the unknown dtype '{p.DType}'";
            if (new TensorSpec(p.Name, dtype, p.Shape).ByteCount is null)
                return $"{field} ('{p.Name}') has the impossible shape {p.ShapeText}";
        }
        return null;
    }

    static string? RangesProblem(IReadOnlyList<ValueRange>? ranges, string name)
    {
        if (ranges is null) return $"'{name}' is null";
        for (int i = 0; i < ranges.Count; i++)
            if (RangeProblem(ranges[i], $"{name}[{i}]") is { } problem) return problem;
        return null;
    }

    static string? RangeProblem(ValueRange? range, string field)
    {
        if (range is null) return $"'{field}' is null";
        if (range.Name is null) return $"'{field}' has no name";
        if (double.IsNaN(range.Min) || double.IsNaN(range.Max) || range.Min > range.Max)
            return $"'{field}' ('{range.Name}') is [{Show(range.Min)}, {Show(range.Max)}], not a range (min ≤ max, no NaN)";
        return null;
    }
}
