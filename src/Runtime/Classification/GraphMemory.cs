using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// Memory a classifier's forward pass keeps for its backward pass: the growth of the native heap in use (glibc's
/// <c>malloc_info</c>, all arenas, mmapped chunks included) from just before the forward pass of one training batch to
/// just after it, while the autograd graph is alive. libtorch allocates CPU tensors with malloc, so this is what the
/// forward pass keeps (saved activations, checkpoints, the output), to within ~1 MiB of allocator noise — how direct
/// backprop (memory ∝ NFE), the checkpointed adjoint (∝ √NFE) and the backsolve adjoint (O(1)) are told apart.
/// </summary>
public static class GraphMemory
{
    /// <summary>Whether the heap can be read here (Linux with glibc).</summary>
    public static bool Available => NativeHeap.IsAvailable;

    /// <summary>
    /// Bytes the forward pass of <paramref name="network"/> on the batch (<paramref name="inputs"/>, <paramref name="labels"/>)
    /// keeps for backward under a cross-entropy loss; null elsewhere than Linux/glibc or for tensors not on the CPU.
    /// </summary>
    /// <remarks>
    /// Runs one backward pass to free the graph, then zeroes the gradients it left and takes the ODE blocks' counts
    /// (<see cref="ISolveCounter"/>), so the network is as before apart from its mode (training).
    /// </remarks>
    public static long? ForwardBytes(nn.Module<Tensor, Tensor> network, Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (!Available || inputs.device_type != DeviceType.CPU) return null;
        network.train();
        using var scope = NewDisposeScope();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = NativeHeap.InUse();
        var loss = nn.functional.cross_entropy(network.forward(inputs), labels);
        long after = NativeHeap.InUse();
        BackwardPass.Run(loss);             // frees the graph (and fills .grad, cleared below)
        foreach (var p in network.parameters()) p.grad?.zero_();
        foreach (var c in network.modules().Prepend(network).OfType<ISolveCounter>()) c.TakeCounts();
        return after - before;
    }
}
