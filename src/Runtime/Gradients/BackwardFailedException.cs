namespace NodeDsl.Runtime;

/// <summary>
/// An earlier <c>backward()</c> on this thread failed inside one of NodeDsl's backward passes and nobody took the
/// failure (<see cref="BackwardPass"/>); thrown by the next solve so that training does not go on as if it had worked.
/// <see cref="Exception.InnerException"/> is the original exception.
/// </summary>
public sealed class BackwardFailedException(string method, Exception inner)
    : Exception(
        $"An earlier backward() on this thread failed in the {method} and the failure was not handled: {inner.Message} " +
        "Run backward passes through BackwardPass.Run(loss) (or call BackwardPass.ThrowIfFailed() after catching " +
        "backward()'s exception) to get the original exception where it happens." + BackwardPass.Advice(method), inner)
{
    /// <summary>The gradient method whose backward pass failed, e.g. "backsolve adjoint".</summary>
    public string Method { get; } = method;
}
