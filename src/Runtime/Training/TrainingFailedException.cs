namespace NodeDsl.Runtime.Training;

/// <summary>
/// A training step failed inside a gradient method's backward pass (e.g. the backsolve adjoint's backward solve);
/// <see cref="Exception.InnerException"/> is the original exception. <see cref="Trainer"/> throws it at once: no optimizer
/// step and no checkpoint follow the failed batch, and the parameters' gradients are zeroed.
/// </summary>
public sealed class TrainingFailedException(int epoch, int batch, string method, Exception inner)
    : Exception(
        $"Training failed in epoch {epoch}, batch {batch} (0-based), in the backward pass of the {method}: {inner.Message}" +
        BackwardPass.Advice(method), inner)
{
    /// <summary>0-based epoch of the failed step (as <see cref="EpochMetrics.Epoch"/>).</summary>
    public int Epoch { get; } = epoch;
    /// <summary>0-based index of the failed batch within its epoch.</summary>
    public int Batch { get; } = batch;
    /// <summary>The gradient method whose backward pass failed, e.g. "backsolve adjoint".</summary>
    public string Method { get; } = method;
}
