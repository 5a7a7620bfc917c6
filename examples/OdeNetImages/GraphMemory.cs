using System.Runtime.InteropServices;
using System.Xml.Linq;
using NodeDsl.Runtime.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeNetImages;

/// <summary>
/// Memory held for the backward pass of one training batch: the growth of the native heap in use (glibc's
/// <c>malloc_info</c>, all arenas, mmapped chunks included) from just before the forward pass to just after it, while the
/// autograd graph is alive. libtorch allocates CPU tensors with malloc, so this is what the forward pass keeps (saved
/// activations, the output), to within ~1 MiB of allocator noise. The same measurement as the runtime's
/// GradientMemoryTests. Elsewhere than Linux/glibc, or on a GPU, it returns null.
/// </summary>
public static class GraphMemory
{
    /// <summary>Whether the heap can be read here.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>Bytes the forward pass of <paramref name="network"/> on (x, y) keeps for backward; null where not measurable.</summary>
    public static long? ForwardBytes(nn.Module<Tensor, Tensor> network, Tensor x, Tensor y)
    {
        if (!Available || x.device_type != DeviceType.CPU) return null;
        network.train();
        using var scope = NewDisposeScope();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = InUse();
        var loss = nn.functional.cross_entropy(network.forward(x), y);
        long after = InUse();
        loss.backward();                    // frees the graph (and fills .grad, cleared below)
        foreach (var p in network.parameters()) p.grad?.zero_();
        foreach (var c in network.modules().Prepend(network).OfType<ISolveCounter>()) c.TakeCounts();
        return after - before;
    }

    static bool Probe()
    {
        try { return InUse() > 0; }
        catch (DllNotFoundException) { return false; }          // not glibc
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>Memory obtained from the system − free chunks + mmapped chunks, from malloc_info's totals.</summary>
    static long InUse()
    {
        var stream = OpenMemstream(out var buffer, out var size);
        try
        {
            if (MallocInfo(0, stream) != 0) throw new InvalidOperationException("malloc_info failed.");
        }
        finally
        {
            _ = Fclose(stream);
        }
        string xml = Marshal.PtrToStringUTF8(buffer, (int)size);
        Free(buffer);
        var root = XElement.Parse(xml);
        long Total(string type) => root.Elements("total").Where(e => (string?)e.Attribute("type") == type).Sum(e => (long)e.Attribute("size")!);
        long current = root.Elements("system").Where(e => (string?)e.Attribute("type") == "current").Sum(e => (long)e.Attribute("size")!);
        return current - Total("fast") - Total("rest") + Total("mmap");
    }

    [DllImport("libc", EntryPoint = "open_memstream")]
    static extern IntPtr OpenMemstream(out IntPtr buffer, out nuint size);

    [DllImport("libc", EntryPoint = "malloc_info")]
    static extern int MallocInfo(int options, IntPtr stream);

    [DllImport("libc", EntryPoint = "fclose")]
    static extern int Fclose(IntPtr stream);

    [DllImport("libc", EntryPoint = "free")]
    static extern void Free(IntPtr pointer);
}
