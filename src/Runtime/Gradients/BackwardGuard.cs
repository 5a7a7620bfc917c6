using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Runs the backward of NodeDsl's custom autograd functions so that no exception ever crosses libtorch's autograd engine.
/// </summary>
/// <remarks>
/// <para>TorchSharp 0.107 calls a <c>torch.autograd.Function</c>'s backward from native code (the engine calls
/// <c>CSharpNode::apply</c>, which calls a managed delegate, <c>Node&lt;T&gt;.ApplyFunc</c>). A .NET exception that unwinds
/// through those native frames ends the process (SIGABRT, exit code 134), whatever <c>try/catch</c> surrounds
/// <c>backward()</c>.</para>
/// <para>So every function takes one extra input, the failure signal: a one-element tensor that requires grad and never
/// receives a gradient. Its backward catches every exception, records it (<see cref="BackwardPass"/>) and returns,
/// instead of the gradients, undefined tensors plus a 0-d tensor for the signal. libtorch's engine checks each returned
/// gradient against its input's shape before it passes anything on (<c>validate_outputs</c> in
/// <c>torch/csrc/autograd/engine.cpp</c>); a 0-d gradient for a <c>[1]</c> input fails that check, so the engine stops the
/// graph task with a C++ error, which TorchSharp turns into an <c>ExternalException</c> thrown by <c>backward()</c>.
/// No gradient of the failed node reaches any tensor: a leaf's gradient accumulator runs only after every node that
/// feeds it has run, and the engine runs no further node once a graph task has failed.</para>
/// </remarks>
internal static class BackwardGuard
{
    /// <summary>Position of the failure signal among a function's inputs (after the context object).</summary>
    public const int SignalIndex = 1;

    /// <summary>A fresh failure signal on the device of <paramref name="like"/>: <c>[1]</c>, requires grad.</summary>
    public static Tensor Signal(Tensor like) => zeros(1, like.dtype, like.device, requires_grad: true);

    /// <summary>
    /// Runs <paramref name="backward"/> (which returns one gradient per input, null for the context and the signal) and
    /// returns its result; if it throws, records the exception for <paramref name="site"/> and returns the failure
    /// gradients instead. Never throws.
    /// </summary>
    public static List<Tensor> Run(BackwardSite site, List<Tensor> grads, Func<List<Tensor>> backward)
    {
        Exception failure;
        try
        {
            var result = backward();
            result[SignalIndex] = null!;
            return result;
        }
        catch (Exception e)
        {
            failure = e;
        }
        BackwardPass.Record(site, failure);
        // 0-d where the engine expects [1]: the shape check that stops the backward pass (see remarks).
        var like = grads.FirstOrDefault(g => g is { IsInvalid: false });
        var signal = like is null ? zeros([]) : zeros([], like.dtype, like.device);
        var failed = new List<Tensor>(site.Inputs);
        for (int i = 0; i < site.Inputs; i++) failed.Add(i == SignalIndex ? signal : null!);
        return failed;
    }
}

/// <summary>Where a backward pass runs: which gradient method, how many inputs its function has, which thread built it.</summary>
internal sealed record BackwardSite(string Method, int Inputs)
{
    /// <summary>The thread that ran the forward solve (and normally calls <c>backward()</c>).</summary>
    public Thread ForwardThread { get; } = Thread.CurrentThread;
}
