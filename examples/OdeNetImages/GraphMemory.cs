using System.Runtime.InteropServices;
using NodeDsl.Runtime.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>
/// Memory held for the backward pass of one training batch, measured as the growth of the process's resident set
/// (RSS) between just before the forward pass and just after it, while the autograd graph is alive.
/// </summary>
/// <remarks>
/// On Linux, glibc's <c>mallopt(M_MMAP_THRESHOLD, 64 KiB)</c> is set once first, so every tensor buffer of 64 KiB or more
/// gets its own mapping that is returned to the system when the tensor is freed: RSS then follows the live tensors
/// instead of the allocator's high-water mark. libtorch allocates CPU tensors with the C allocator, so the delta is the
/// size of what the forward pass keeps (saved activations, the output) to within the small allocations under the
/// threshold. Elsewhere (or on a GPU) the measurement is not available and returns null.
/// </remarks>
public static class GraphMemory
{
    const int MmapThreshold = -3;   // M_MMAP_THRESHOLD in glibc's malloc.h

    static readonly bool Ready = Prepare();

    /// <summary>
    /// Sets the allocator up (once) and says whether memory can be measured. Call it before training anything, so that
    /// every network trains under the same allocator settings and their times compare.
    /// </summary>
    public static bool Start() => Ready;

    /// <summary>Bytes the forward pass of <paramref name="network"/> on (x, y) keeps for backward; null where RSS cannot be read.</summary>
    public static long? ForwardBytes(nn.Module<Tensor, Tensor> network, Tensor x, Tensor y)
    {
        if (!Ready || x.device_type != DeviceType.CPU) return null;
        network.train();
        using var scope = NewDisposeScope();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = ResidentBytes();
        var loss = nn.functional.cross_entropy(network.forward(x), y);
        long after = ResidentBytes();
        loss.backward();                    // frees the graph (and fills .grad, cleared below)
        foreach (var p in network.parameters()) p.grad?.zero_();
        if (network is ISolveCounter counter) counter.TakeCounts();
        foreach (var c in network.modules().OfType<ISolveCounter>()) c.TakeCounts();
        return after - before;
    }

    static bool Prepare()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/statm")) return false;
        try { return mallopt(MmapThreshold, 64 * 1024) == 1; }
        catch (DllNotFoundException) { return false; }          // not glibc (e.g. musl)
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>Resident pages × page size, from /proc/self/statm (second field).</summary>
    static long ResidentBytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);
}
