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
/// <para>That error must not be raised inside <c>torch.autograd.grad</c>: its native entry point
/// (<c>THSAutograd_grad</c>) does not catch libtorch's errors, so the process would end. There (found on the thread's
/// managed stack, <see cref="EngineEntries.Current"/>) the backward returns zeros of every input's shape instead, which
/// lets the engine finish, and leaves an error in TorchSharp's error slot (<see cref="TorchErrorSlot"/>), which
/// <c>autograd.grad</c> checks on return: it throws an <c>ExternalException</c> and its result (holding those zeros) never
/// reaches the caller. Once a failure is pending on the thread, every later NodeDsl backward inside <c>autograd.grad</c>
/// does the same without running (its work would be discarded, and its native calls would clear the slot).</para>
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
        // A failure is pending on this thread: inside autograd.grad this pass's result would be discarded anyway.
        if (BackwardPass.PeekFailure() is { } pending && EngineEntries.Current() == EngineEntry.Grad)
            return FailInsideGrad(site, pending.Method, pending.Error);
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
        if (EngineEntries.Current() == EngineEntry.Grad)
        {
            // The thread's first unhandled failure is the one reported (Record keeps it).
            var (method, error) = BackwardPass.PeekFailure() ?? (site.Method, failure);
            return FailInsideGrad(site, method, error);
        }
        // 0-d where the engine expects [1]: the shape check that stops the backward pass (see remarks).
        var like = grads.FirstOrDefault(g => g is { IsInvalid: false });
        var signal = like is null ? zeros([]) : zeros([], like.dtype, like.device);
        var failed = new List<Tensor>(site.Inputs);
        for (int i = 0; i < site.Inputs; i++) failed.Add(i == SignalIndex ? signal : null!);
        return failed;
    }

    /// <summary>Zeros for every input that requires grad, and <paramref name="failure"/> (of <paramref name="method"/>) left for <c>autograd.grad</c> to throw.</summary>
    static List<Tensor> FailInsideGrad(BackwardSite site, string method, Exception failure)
    {
        var zeros = site.ZeroGradients();
        // The last native call of this backward function (see TorchErrorSlot).
        TorchErrorSlot.Set(GradMessage(method, failure));
        return zeros;
    }

    /// <summary>The text <c>torch.autograd.grad</c> throws for a failed NodeDsl backward pass.</summary>
    internal static string GradMessage(string method, Exception failure)
        => $"NodeDsl: the {method}'s backward pass failed with {failure.GetType().Name}: {failure.Message} " +
           "torch.autograd.grad returned no gradients. BackwardPass.ThrowIfFailed() throws the original exception; " +
           "BackwardPass.Grad(...) in place of torch.autograd.grad throws it directly.";
}

/// <summary>Where a backward pass runs: which gradient method, how many inputs its function has, which thread built it.</summary>
internal sealed record BackwardSite(string Method, int Inputs)
{
    /// <summary>The thread that ran the forward solve (and normally calls <c>backward()</c>).</summary>
    public Thread ForwardThread { get; } = Thread.CurrentThread;

    // Shape, dtype and device of each input that requires grad (null elsewhere), for the zeros of a failure inside autograd.grad.
    (long[] Shape, ScalarType Dtype, Device Device)?[] inputs = [];

    /// <summary>Remembers the metadata of the function's inputs; call from its forward with all its arguments.</summary>
    public void Remember(object[] vars)
        => inputs = [.. vars.Select(v => v is Tensor { IsInvalid: false, requires_grad: true } t
            ? ((long[], ScalarType, Device)?)(t.shape, t.dtype, t.device) : null)];

    /// <summary>One gradient per input: zeros of its shape where it requires grad (the signal excepted), null elsewhere.</summary>
    public List<Tensor> ZeroGradients()
    {
        var result = new List<Tensor>(Inputs);
        for (int i = 0; i < Inputs; i++)
            result.Add(i != BackwardGuard.SignalIndex && i < inputs.Length && inputs[i] is { } m ? zeros(m.Shape, m.Dtype, m.Device) : null!);
        return result;
    }
}
