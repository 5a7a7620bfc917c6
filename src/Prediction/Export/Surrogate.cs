namespace NodeDsl.Runtime.Export;

/// <summary>
/// What every surrogate shares, whichever backend predicts: the weight file's <see cref="Metadata"/>, the names of the
/// predicted states and inputs, the trained-range policy and the <see cref="Predict(IReadOnlyList{double[]}, IReadOnlyList{double[]}, double[])"/>
/// contract (arguments checked, ranges enforced, then one batched solve). Derive from <c>Surrogate&lt;TModel&gt;</c>
/// (TorchSharp) or <c>NativeSurrogate&lt;TModel&gt;</c> (no libtorch), not from this class.
/// </summary>
public abstract class Surrogate
{
    private protected Surrogate() { }

    /// <summary>What the weight file says: ranges, solver, tolerances, versions, notes.</summary>
    public WeightMetadata Metadata { get; private protected init; } = null!;

    /// <summary>Names of the predicted (observed) state components, from the model's layout.</summary>
    public abstract IReadOnlyList<string> StateNames { get; }

    /// <summary>Names of the input components (<c>mu</c>, or <c>c[0]</c>, <c>c[1]</c> for a vector input).</summary>
    public abstract IReadOnlyList<string> InputNames { get; }

    /// <summary>What happens when a prediction leaves the trained range.</summary>
    public RangePolicy RangePolicy { get; set; }

    /// <summary>Raised under <see cref="RangePolicy.Warn"/> when a prediction leaves the trained range (before solving).</summary>
    public event EventHandler<SurrogateRangeEventArgs>? RangeWarning;

    /// <summary>Predicts one trajectory from <paramref name="initialState"/> (observed components) with <paramref name="inputs"/> at <paramref name="times"/>.</summary>
    /// <param name="initialState">One value per observed state component (<see cref="StateNames"/>), at <c>times[0]</c>.</param>
    /// <param name="inputs">One value per input component (<see cref="InputNames"/>); null or empty for a model without inputs.</param>
    /// <param name="times">Output times, at least two, strictly monotonic; the solve starts at <c>times[0]</c>.</param>
    /// <exception cref="SurrogateRangeException">Under <see cref="RangePolicy.Throw"/>, a value lies outside the trained range.</exception>
    /// <remarks>A failed solve (non-finite state, step-size underflow, too many steps) throws the backend's integration exception.</remarks>
    public SurrogatePrediction Predict(double[] initialState, double[]? inputs, double[] times)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        return Predict([initialState], inputs is null ? null : [inputs], times);
    }

    /// <summary>Predicts a batch of trajectories in one solve: one initial state and one input row per trajectory.</summary>
    /// <inheritdoc cref="Predict(double[], double[], double[])"/>
    public SurrogatePrediction Predict(IReadOnlyList<double[]> initialStates, IReadOnlyList<double[]>? inputs, double[] times)
    {
        ArgumentNullException.ThrowIfNull(initialStates);
        ArgumentNullException.ThrowIfNull(times);
        RangeChecks.CheckArguments(ModelName, StateNames, InputNames, initialStates, ref inputs);
        if (times.Length < 2) throw new ArgumentException($"Give at least two output times (the first is the initial time); got {times.Length}.", nameof(times));
        TimeRules.Check(times, nameof(times));
        CheckSettings();
        var violations = RangeChecks.Enforce(RangePolicy, Metadata, initialStates, inputs, times, RangeWarning is { } handler ? args => handler(this, args) : null);
        var flat = Solve(initialStates, inputs, times);
        return new SurrogatePrediction((double[])times.Clone(), StateNames, initialStates.Count, flat, violations);
    }

    /// <summary>The model's type name, for messages.</summary>
    private protected abstract string ModelName { get; }

    /// <summary>Throws when the solver settings of predictions are invalid (before any range warning is raised).</summary>
    private protected virtual void CheckSettings() { }

    /// <summary>One batched solve of checked arguments: the observed components at every time as [time, trajectory, component].</summary>
    private protected abstract double[] Solve(IReadOnlyList<double[]> initialStates, IReadOnlyList<double[]>? inputs, double[] times);
}
