using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Runs <c>backward()</c> and reports failures inside NodeDsl's backward passes (the backsolve adjoint's backward solve,
/// the checkpointed adjoint's replays, the output-time gradients) as the exceptions that caused them.
/// </summary>
/// <remarks>
/// <para>libtorch runs these backward passes from native code, where a .NET exception cannot travel. They therefore
/// never throw: they keep the exception and make libtorch stop the backward pass, so <c>loss.backward()</c> throws an
/// <c>ExternalException</c> with libtorch's text ("… returned an invalid gradient …") and no gradient of the failed solve
/// reaches any <c>.grad</c>. The original exception (e.g. <see cref="StepSizeUnderflowException"/> with its time,
/// <see cref="NonFiniteStateException"/> with its rows, an exception from your rates) is kept for the thread that called
/// <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?, GradientMethod)"/>, and comes out:</para>
/// <list type="bullet">
/// <item>from <see cref="Run"/>, which calls <c>loss.backward()</c> and rethrows it in place of libtorch's error;</item>
/// <item>from <see cref="Grad"/>, the safe counterpart of <c>torch.autograd.grad</c>;</item>
/// <item>from <see cref="ThrowIfFailed"/>, after you called <c>loss.backward()</c> yourself and caught its exception;</item>
/// <item>otherwise from the next <c>Ode.Solve</c> on that thread, wrapped in a <see cref="BackwardFailedException"/>, so
/// that a failed backward pass is never silently followed by more training.</item>
/// </list>
/// <see cref="Training.Trainer"/> does this for you and reports the epoch and batch.
/// </remarks>
public static class BackwardPass
{
    // Unhandled failures by thread: the thread that built the graph and the thread that ran the backward pass (the same
    // on the CPU; a CUDA backward pass runs on libtorch's device threads). Weak keys: a finished thread takes its entry along.
    static readonly ConditionalWeakTable<Thread, Pending> pending = new();

    /// <summary>
    /// Calls <c>loss.backward()</c>; if one of NodeDsl's backward passes failed, throws the exception that made it fail
    /// (its own type, message, properties and stack trace) instead of libtorch's error.
    /// </summary>
    /// <param name="loss">The tensor to differentiate, usually a scalar loss.</param>
    /// <param name="gradients">Gradient of the loss with respect to itself; null for a scalar loss (ones).</param>
    /// <param name="retainGraph">Keep the graph for another backward pass.</param>
    public static void Run(Tensor loss, IList<Tensor>? gradients = null, bool retainGraph = false)
    {
        ArgumentNullException.ThrowIfNull(loss);
        try
        {
            loss.backward(gradients, retainGraph);
        }
        catch (Exception) when (Take() is { } failure)
        {
            failure.Rethrow();
        }
        // Normally unreachable (libtorch stops a failed pass), but a recorded failure must never pass silently.
        ThrowIfFailed();
    }

    /// <summary>
    /// <c>torch.autograd.grad</c> without its process-ending failures: returns the gradients of <paramref name="outputs"/>
    /// with respect to <paramref name="inputs"/> (vector–Jacobian products with <paramref name="gradOutputs"/>), touching
    /// no other tensor's <c>.grad</c>. If one of NodeDsl's backward passes failed, throws the exception that made it fail;
    /// any other libtorch error arrives as an <c>ExternalException</c>.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's <c>autograd.grad</c> (native <c>THSAutograd_grad</c>) does not turn libtorch's errors into .NET
    /// exceptions, so any error inside it (a graph already freed, a gradient of the wrong shape or device, an input that
    /// does not require grad) ends the process. This method runs the same engine through <c>backward(inputs: …)</c>, whose
    /// native entry point does catch them: each input's <c>.grad</c> is set aside, the gradient is accumulated into it
    /// from nothing, read, and the previous <c>.grad</c> is put back, whatever happens. An input that is not a leaf keeps
    /// libtorch's <c>retain_grad()</c> afterwards (later <c>backward()</c> calls also fill its <c>.grad</c>).
    /// </remarks>
    /// <param name="outputs">The tensors to differentiate.</param>
    /// <param name="inputs">The tensors to differentiate with respect to; each must require grad.</param>
    /// <param name="gradOutputs">One gradient per output, of its shape; null for single-element outputs (ones).</param>
    /// <param name="retainGraph">Keep the graph for another backward pass (default: <paramref name="createGraph"/>).</param>
    /// <param name="createGraph">Build a graph of the gradients (for higher derivatives).</param>
    /// <param name="allowUnused">Return null for an input the outputs do not depend on, instead of throwing.</param>
    /// <returns>One gradient per input (null for an unused input when <paramref name="allowUnused"/>).</returns>
    public static IList<Tensor?> Grad(IList<Tensor> outputs, IList<Tensor> inputs, IList<Tensor>? gradOutputs = null,
        bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("Give at least one tensor to differentiate with respect to.", nameof(inputs));
        var setAside = new Tensor?[inputs.Count];
        try
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(inputs[i], $"{nameof(inputs)}[{i}]");
                // backward(inputs) makes a non-leaf retain grad anyway; doing it first lets its .grad be read without libtorch's warning.
                if (!inputs[i].is_leaf) inputs[i].retain_grad();
                setAside[i] = inputs[i].grad;
                inputs[i].grad = null!;
            }
            try
            {
                autograd.backward(outputs, gradOutputs, retainGraph, createGraph, inputs);
            }
            catch (Exception) when (Take() is { } failure)
            {
                failure.Rethrow();
                throw;
            }
            ThrowIfFailed();
            var gradients = inputs.Select(x => x.grad is { IsInvalid: false } g ? g : null).ToList();
            if (!allowUnused && gradients.IndexOf(null) is var unused and >= 0)
            {
                foreach (var g in gradients) g?.Dispose();
                throw new ArgumentException(
                    $"inputs[{unused}] was not used to compute the outputs, so it has no gradient. Pass allowUnused: true to get null for it.",
                    nameof(inputs));
            }
            return gradients;
        }
        finally
        {
            // Reverse order: the same tensor given twice gets back what it had first.
            for (int i = inputs.Count - 1; i >= 0; i--)
            {
                if (inputs[i] is null) continue;
                inputs[i].grad = setAside[i]!;
                setAside[i]?.Dispose();
            }
        }
    }

    /// <summary>
    /// Throws the exception that made one of NodeDsl's backward passes fail on this thread, if one did and it has not
    /// been thrown yet (e.g. after <c>loss.backward()</c> threw libtorch's error); does nothing otherwise.
    /// </summary>
    public static void ThrowIfFailed() => Take()?.Rethrow();

    /// <summary>The exception that made a backward pass fail on this thread and has not been thrown yet, or null. Does not clear it.</summary>
    public static Exception? Failure => Peek()?.Error;

    /// <summary>Called by <see cref="BackwardGuard"/>: keeps <paramref name="error"/> for the threads of <paramref name="site"/>.</summary>
    internal static void Record(BackwardSite site, Exception error)
    {
        var failure = new Pending(site.Method, error);
        Keep(site.ForwardThread, failure);
        Keep(Thread.CurrentThread, failure);
    }

    /// <summary>
    /// Before new work on this thread: a failure nobody has seen yet becomes a <see cref="BackwardFailedException"/>.
    /// </summary>
    internal static void ThrowIfUnhandled()
    {
        if (Take() is { } failure) throw new BackwardFailedException(failure.Method, failure.Error);
    }

    /// <summary>This thread's unhandled failure and the gradient method it happened in, without taking it; null if none.</summary>
    internal static (string Method, Exception Error)? PeekFailure() => Peek() is { } f ? (f.Method, f.Error) : null;

    /// <summary>Takes this thread's unhandled failure (marking it handled for every thread it was kept for).</summary>
    internal static (string Method, Exception Error)? TakeFailure() => Take() is { } f ? (f.Method, f.Error) : null;

    /// <summary>A sentence to append to a message about a failed backward pass of <paramref name="method"/>, or "".</summary>
    internal static string Advice(string method)
        => method.StartsWith("backsolve", StringComparison.Ordinal)
            ? " The backsolve adjoint integrates y backwards, which fails on stiff or strongly dissipative dynamics: " +
              "GradientMethod.Checkpointed() never does, and gives the direct gradient with bounded memory."
            : "";

    static void Keep(Thread thread, Pending failure)
    {
        // The first unhandled failure is the cause; later ones (e.g. another backward on the same broken graph) follow from it.
        if (pending.TryGetValue(thread, out var existing) && !existing.Handled) return;
        pending.AddOrUpdate(thread, failure);
    }

    static Pending? Peek() => pending.TryGetValue(Thread.CurrentThread, out var f) && !f.Handled ? f : null;

    static Pending? Take()
    {
        if (!pending.TryGetValue(Thread.CurrentThread, out var failure)) return null;
        pending.Remove(Thread.CurrentThread);
        return failure.TryHandle() ? failure : null;
    }

    sealed class Pending(string method, Exception error)
    {
        public string Method { get; } = method;
        public Exception Error { get; } = error;
        int handled;

        // Shared by the entries of both threads: whichever takes it first handles it for both.
        public bool Handled => Volatile.Read(ref handled) != 0;

        public bool TryHandle() => Interlocked.Exchange(ref handled, 1) == 0;

        public void Rethrow() => ExceptionDispatchInfo.Capture(Error).Throw();
    }
}
