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
