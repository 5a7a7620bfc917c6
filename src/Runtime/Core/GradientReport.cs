namespace NodeDsl.Runtime;

/// <summary>What a gradient method did, for statistics: the backward counters are filled in when <c>backward()</c> has run.</summary>
public sealed class GradientReport
{
    internal GradientReport(string method) => Method = method;

    /// <summary>The gradient method's <see cref="GradientMethod.Name"/>.</summary>
    public string Method { get; }

    /// <summary>Counters of the backward pass's solves (adjoint solves or segment replays), summed; null before backward or for <see cref="GradientMethod.Direct"/>.</summary>
    public SolverStats? Backward { get; internal set; }

    /// <summary>Number of stored checkpoint states (checkpointed adjoint only).</summary>
    public int Checkpoints { get; internal set; }

    /// <summary>
    /// True when the backsolve adjoint's backward solve drifted from the forward solution and the gradient was computed
    /// by the checkpointed adjoint instead (<see cref="AdjointOptions.FallbackToCheckpointed"/>).
    /// </summary>
    public bool FellBackToCheckpointed { get; internal set; }

    internal void AddBackward(SolverStats stats) => Backward = (Backward ?? new SolverStats()).Plus(stats);

    internal void AddBackwardEvaluations(int count) => AddBackward(new SolverStats { FunctionEvaluations = count });
}
