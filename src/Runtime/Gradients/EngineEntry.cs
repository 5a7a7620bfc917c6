using System.Diagnostics;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Which TorchSharp call started the autograd engine that is running a backward function.</summary>
internal enum EngineEntry
{
    /// <summary>No TorchSharp entry on this thread's managed stack (e.g. one of libtorch's CUDA device threads).</summary>
    Unknown,

    /// <summary><c>backward()</c> (native <c>THSAutograd_backward</c>, which turns libtorch's errors into .NET exceptions).</summary>
    Backward,

    /// <summary><c>torch.autograd.grad</c> (native <c>THSAutograd_grad</c>, which does not: a libtorch error there ends the process).</summary>
    Grad,
}

internal static class EngineEntries
{
    /// <summary>
    /// The innermost <c>torch.autograd.grad</c> or <c>torch.autograd.backward</c> on the calling thread's managed stack
    /// (<c>Tensor.backward()</c> calls the latter). On the CPU libtorch runs a backward pass on the thread that asked for
    /// it, re-entrant ones included, so the managed frames below the native engine show who that was. Walks the stack:
    /// call it only on a failure path.
    /// </summary>
    public static EngineEntry Current()
    {
        foreach (var frame in new StackTrace(1, fNeedFileInfo: false).GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType != typeof(autograd)) continue;
            if (method.Name == nameof(autograd.grad)) return EngineEntry.Grad;
            if (method.Name == nameof(autograd.backward)) return EngineEntry.Backward;
        }
        return EngineEntry.Unknown;
    }
}
