namespace NodeDsl.Runtime.Classification;

/// <summary>Solves and vector-field evaluations of a network's ODE blocks since the counts were last taken.</summary>
/// <param name="Solves">Forward solves (one per block call).</param>
/// <param name="ForwardEvaluations">Evaluations of the vector field in the forward solves (each on the whole batch).</param>
/// <param name="BackwardEvaluations">
/// Evaluations in the backward passes that have run: adjoint solves or checkpoint replays; 0 for
/// <see cref="GradientMethod.Direct"/>, whose backward pass goes through the stored graph instead.
/// </param>
public readonly record struct SolveCounts(int Solves, long ForwardEvaluations, long BackwardEvaluations)
{
    /// <summary>Sums two counts.</summary>
    public static SolveCounts operator +(SolveCounts a, SolveCounts b)
        => new(a.Solves + b.Solves, a.ForwardEvaluations + b.ForwardEvaluations, a.BackwardEvaluations + b.BackwardEvaluations);
}

/// <summary>
/// A module that solves ODEs and counts its work; <see cref="ClassifierTrainer"/> reads every such module of a network to
/// report NFE per batch.
/// </summary>
public interface ISolveCounter
{
    /// <summary>
    /// The counts since the previous call (or since construction), and starts counting afresh. Call it after
    /// <c>backward()</c> so the backward evaluations of the batch are included.
    /// </summary>
    SolveCounts TakeCounts();
}
