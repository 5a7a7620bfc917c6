namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// Failures inside backward passes, each provoked in a child process (tests/NodeDsl.FailureProbe): the process must
/// survive (exit code 0; an exception escaping into libtorch's native autograd engine ends it with SIGABRT, 134) and the
/// original exception must reach the caller. Before the backward guard every scenario ended with exit code 134.
/// </summary>
[Collection(nameof(GradientCollection))]
public class FailureProbeTests
{
    // A scenario solves a tiny system; the budget covers process start-up and libtorch loading on a loaded machine.
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Theory]
    // dy/dt = A y, eigenvalues −1 and −1000, over [0, 1]: backwards in time the fast mode grows like e^{1000 t}.
    [InlineData("stiff-kvaerno5", "run", "CAUGHT StepSizeUnderflowException: Step size underflow at t = ")]
    [InlineData("stiff-dopri5", "run", "CAUGHT NonFiniteStateException: Non-finite state (NaN or Inf) at t = ", "in batch row(s) 0.")]
    // dy/dt = −100 y over [0, 10]: e^{1000} overflows in the backward solve.
    [InlineData("lambda100", "run", "CAUGHT NonFiniteStateException: Non-finite state (NaN or Inf) at t = ", "in batch row(s) 0.")]
    [InlineData("maxsteps3", "run", "CAUGHT MaxStepsExceededException: Maximum number of steps (3) exceeded")]
    [InlineData("replay-mismatch", "run", "CAUGHT OdeSolverException: Checkpointed adjoint: the backward replay reached a different state")]
    [InlineData("rates-throw", "run", "CAUGHT InvalidOperationException: user rates failed during backward")]
    // TorchSharp's own backward(): libtorch's error there, the original from BackwardPass.ThrowIfFailed().
    [InlineData("rates-throw", "backward", "backward() threw ExternalException", "CAUGHT InvalidOperationException: user rates failed during backward")]
    // Nobody took the failure: the next solve on the thread reports it.
    [InlineData("rates-throw", "next-solve", "backward() threw ExternalException",
        "CAUGHT BackwardFailedException: An earlier backward() on this thread failed in the backsolve adjoint",
        "INNER InvalidOperationException: user rates failed during backward")]
    // Trainer with the backsolve adjoint on the stiff system: stops in the first batch of epoch 0, before any checkpoint.
    [InlineData("trainer-backsolve", "run", "CAUGHT TrainingFailedException: Training failed in epoch 0, batch 0 (0-based), in the backward pass of the backsolve adjoint",
        "INNER AdjointDriftException: ", "checkpoint written: False")]
    // TorchSharp's autograd.grad (its native THSAutograd_grad lets libtorch's errors end the process): the engine finishes
    // with zeros, autograd.grad throws NodeDsl's message instead of returning them, and ThrowIfFailed gives the original.
    [InlineData("rates-throw", "grad", "autograd.grad threw ExternalException: ",
        "NodeDsl: the backsolve adjoint's backward pass failed with InvalidOperationException: user rates failed during backward",
        "CAUGHT InvalidOperationException: user rates failed during backward")]
    // The checkpointed adjoint (its replay differentiates each segment with its own autograd.grad calls on this thread).
    [InlineData("replay-mismatch", "grad", "autograd.grad threw ExternalException: ",
        "NodeDsl: the checkpointed adjoint's backward pass failed with OdeSolverException",
        "CAUGHT OdeSolverException: Checkpointed adjoint: the backward replay reached a different state")]
    // A second NodeDsl node runs after the failed one in the same pass: it must not clear the error autograd.grad throws.
    [InlineData("chained-throw", "grad", "autograd.grad threw ExternalException: ",
        "NodeDsl: the checkpointed adjoint's backward pass failed with InvalidOperationException: second solve's rates failed",
        "CAUGHT InvalidOperationException: second solve's rates failed during backward")]
    // BackwardPass.Grad: the original at once, and libtorch's own errors (a freed graph) as exceptions.
    [InlineData("rates-throw", "pass-grad", "CAUGHT InvalidOperationException: user rates failed during backward")]
    [InlineData("chained-throw", "pass-grad", "CAUGHT InvalidOperationException: second solve's rates failed during backward")]
    [InlineData("graph-freed", "pass-grad", "first pass done", "CAUGHT ExternalException: Trying to backward through the graph a second time")]
    // NodeDsl's own autograd.grad calls on graphs without a path to the input (both ended the process with exit code 134).
    [InlineData("regularizer-constant-rates", "run", "jacobian term 0")]
    [InlineData("module-ignores-input", "run", "input vjp sum 0 shape [3, 2]")]
    public void ProcessSurvivesAndTheOriginalExceptionArrives(string scenario, string surfacing, params string[] expected)
    {
        var (exitCode, output) = FailureProbe.Run(scenario, surfacing, Timeout);
        Assert.True(exitCode == 0, $"'{scenario} {surfacing}' ended with exit code {exitCode}:\n{output}");
        foreach (var line in expected) Assert.Contains(line, output);
    }
}
