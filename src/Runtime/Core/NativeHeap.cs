using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace NodeDsl.Runtime;

/// <summary>
/// Bytes of native heap in use, from glibc's <c>malloc_info</c> (all arenas, mmapped chunks included): libtorch's CPU
/// tensors are allocated with malloc, so this counts live tensor storage, including what an autograd graph holds.
/// In use = memory obtained from the system − free chunks (fast bins + the rest) + mmapped chunks. It also counts the
/// unused top of each arena, so it carries ~100 KiB–1 MiB of allocator noise. Used by
/// <see cref="Classification.GraphMemory"/> and the gradient memory tests.
/// </summary>
internal static class NativeHeap
{
    /// <summary>Whether the heap can be read here (Linux with glibc; checked once by reading it).</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Probe();

    static bool Probe()
    {
        try { return InUse() > 0; }
        catch (DllNotFoundException) { return false; }          // not glibc
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>Bytes in use now: memory from the system − free chunks + mmapped chunks, from malloc_info's totals.</summary>
    public static long InUse()
    {
        var stream = OpenMemstream(out var buffer, out var size);
        try
        {
            if (MallocInfo(0, stream) != 0) throw new InvalidOperationException("malloc_info failed");
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

    /// <summary>Returns free heap memory to the system (glibc <c>malloc_trim(0)</c>): a cleaner baseline after earlier tests.</summary>
    public static void Trim() => _ = MallocTrim(0);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "open_memstream")]
    static extern IntPtr OpenMemstream(out IntPtr buffer, out nuint size);

    [DllImport("libc", EntryPoint = "malloc_info")]
    static extern int MallocInfo(int options, IntPtr stream);

    [DllImport("libc", EntryPoint = "fclose")]
    static extern int Fclose(IntPtr stream);

    [DllImport("libc", EntryPoint = "free")]
    static extern void Free(IntPtr pointer);
}
