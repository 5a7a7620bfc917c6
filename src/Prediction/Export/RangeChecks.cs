namespace NodeDsl.Runtime.Export;

/// <summary>What a surrogate does when asked to predict outside the range of its training data.</summary>
public enum RangePolicy
{
    /// <summary>Predict anyway and raise the surrogate's <c>RangeWarning</c> event (written to standard error when nobody listens).</summary>
    Warn,
    /// <summary>Throw a <see cref="SurrogateRangeException"/> before solving.</summary>
    Throw,
    /// <summary>Predict without checking.</summary>
    Ignore,
}

/// <summary>One value outside the trained range.</summary>
/// <param name="Quantity"><c>initial state</c>, <c>input</c> or <c>time</c>.</param>
/// <param name="Name">Component name from the metadata, e.g. <c>zeta</c>.</param>
/// <param name="Value">The value asked for.</param>
/// <param name="Range">The range of the training data.</param>
/// <param name="Trajectory">Index of the trajectory in the batch (0 for a single prediction; -1 for the shared times).</param>
public sealed record RangeViolation(string Quantity, string Name, double Value, ValueRange Range, int Trajectory)
{
    /// <inheritdoc />
    public override string ToString()
        => $"{Quantity} {Name} = {Value:G6} lies outside the trained range [{Range.Min:G6}, {Range.Max:G6}]" +
           (Trajectory >= 0 ? $" (trajectory {Trajectory})" : "");
}

/// <summary>Thrown under <see cref="RangePolicy.Throw"/> when a prediction would leave the trained range.</summary>
public sealed class SurrogateRangeException : Exception
{
    /// <summary>Creates the exception for <paramref name="violations"/> (at least one).</summary>
    public SurrogateRangeException(IReadOnlyList<RangeViolation> violations)
        : base(Describe(violations) + " To accept extrapolation, set the surrogate's RangePolicy to Warn or Ignore.") => Violations = violations;

    /// <summary>Every value outside the trained range.</summary>
    public IReadOnlyList<RangeViolation> Violations { get; }

    internal static string Describe(IReadOnlyList<RangeViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var shown = string.Join("; ", violations.Take(5));
        var more = violations.Count > 5 ? $"; and {violations.Count - 5} more" : "";
        return $"The surrogate was asked to predict outside the range of its training data: {shown}{more}. " +
               "Predictions there are extrapolations of unknown accuracy; the trained ranges are in the surrogate's Metadata.";
    }
}

/// <summary>Arguments of a surrogate's <c>RangeWarning</c> event.</summary>
public sealed class SurrogateRangeEventArgs(IReadOnlyList<RangeViolation> violations) : EventArgs
{
    /// <summary>Every value outside the trained range.</summary>
    public IReadOnlyList<RangeViolation> Violations { get; } = violations;

    /// <summary>One sentence naming the values and ranges.</summary>
    public string Message { get; } = SurrogateRangeException.Describe(violations);
}

/// <summary>
/// Compares a prediction request with the training ranges of <see cref="WeightMetadata"/> and applies the
/// <see cref="RangePolicy"/>: one implementation for the TorchSharp surrogate and the native one.
/// </summary>
internal static class RangeChecks
{
    /// <summary>
    /// The violations of a request (none under <see cref="RangePolicy.Ignore"/>); under <see cref="RangePolicy.Throw"/> a
    /// <see cref="SurrogateRangeException"/> when there are any; under <see cref="RangePolicy.Warn"/> they go to
    /// <paramref name="warn"/>, or to standard error when it is null.
    /// </summary>
    public static IReadOnlyList<RangeViolation> Enforce(RangePolicy policy, WeightMetadata metadata, IReadOnlyList<double[]> initialStates,
                                                        IReadOnlyList<double[]>? inputs, IReadOnlyList<double> times, Action<SurrogateRangeEventArgs>? warn)
    {
        if (policy == RangePolicy.Ignore) return [];
        var violations = Find(metadata, initialStates, inputs, times);
        if (violations.Count == 0) return violations;
        if (policy == RangePolicy.Throw) throw new SurrogateRangeException(violations);
        var args = new SurrogateRangeEventArgs(violations);
        if (warn is null) Console.Error.WriteLine($"warning: {args.Message}");
        else warn(args);
        return violations;
    }

    /// <summary>
    /// Checks the shape of a request against a model with <paramref name="stateNames"/> (observed components) and
    /// <paramref name="inputNames"/>; <paramref name="inputs"/> becomes null for a model without inputs.
    /// </summary>
    /// <exception cref="ArgumentException">A row of the wrong length, a missing or extra input row (the message names the components).</exception>
    public static void CheckArguments(string model, IReadOnlyList<string> stateNames, IReadOnlyList<string> inputNames,
                                      IReadOnlyList<double[]> initialStates, ref IReadOnlyList<double[]>? inputs)
    {
        int observed = stateNames.Count, inputSize = inputNames.Count;
        if (initialStates.Count == 0) throw new ArgumentException("Give at least one initial state.", nameof(initialStates));
        foreach (var s in initialStates)
            if (s is null || s.Length != observed)
                throw new ArgumentException(
                    $"Each initial state needs {observed} values ({string.Join(", ", stateNames)}) but one has {s?.Length ?? 0}.", nameof(initialStates));
        if (inputSize == 0)
        {
            if (inputs is not null && inputs.Any(i => i is { Length: > 0 }))
                throw new ArgumentException($"{model} has no [Input] fields; pass null inputs.", nameof(inputs));
            inputs = null;
            return;
        }
        if (inputs is null || inputs.Count != initialStates.Count)
            throw new ArgumentException(
                $"{model} needs one input row ({string.Join(", ", inputNames)}) per initial state: {initialStates.Count} rows, " +
                $"got {inputs?.Count ?? 0}.", nameof(inputs));
        foreach (var i in inputs)
            if (i is null || i.Length != inputSize)
                throw new ArgumentException($"Each input row needs {inputSize} values ({string.Join(", ", inputNames)}) but one has {i?.Length ?? 0}.", nameof(inputs));
    }

    public static List<RangeViolation> Find(WeightMetadata metadata, IReadOnlyList<double[]> initialStates,
                                            IReadOnlyList<double[]>? inputs, IReadOnlyList<double> times)
    {
        var found = new List<RangeViolation>();
        for (int b = 0; b < initialStates.Count; b++)
        {
            Check(found, "initial state", metadata.States, initialStates[b], b);
            if (inputs is not null) Check(found, "input", metadata.Inputs, inputs[b], b);
        }
        if (metadata.Time is { } time && times.Count > 0)
        {
            double first = times.Min(), last = times.Max();
            if (!time.Contains(first)) found.Add(new RangeViolation("time", time.Name, first, time, -1));
            if (last != first && !time.Contains(last)) found.Add(new RangeViolation("time", time.Name, last, time, -1));
        }
        return found;
    }

    static void Check(List<RangeViolation> found, string quantity, IReadOnlyList<ValueRange> ranges, double[] values, int trajectory)
    {
        // No ranges recorded (metadata written without training data): nothing to check.
        for (int j = 0; j < System.Math.Min(ranges.Count, values.Length); j++)
            if (!ranges[j].Contains(values[j])) found.Add(new RangeViolation(quantity, ranges[j].Name, values[j], ranges[j], trajectory));
    }
}
