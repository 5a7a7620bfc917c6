using System.Text;

namespace NodeDsl.Packaging.Tests;

/// <summary>Facts about TorchSharp's native bridge and this host, read independently of the build task that patches it.</summary>
public static class NativeLibraryFacts
{
    /// <summary>The version need the build patches (the only GCC 13 symbol version libLibTorchSharp.so asks for).</summary>
    public const string PatchedVersion = "GLIBCXX_3.4.32";

    /// <summary>True when this host's libstdc++ does not define <see cref="PatchedVersion"/> (e.g. Debian 12).</summary>
    public static bool HostLacksPatchedVersion()
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        var library = candidates.FirstOrDefault(File.Exists);
        return library is not null && !Encoding.ASCII.GetString(File.ReadAllBytes(library)).Contains(PatchedVersion + "\0", StringComparison.Ordinal);
    }

    /// <summary>The single libLibTorchSharp.so under <paramref name="folder"/>.</summary>
    public static string BridgeIn(string folder) => Directory.GetFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();

    /// <summary>
    /// The library as TorchSharp ships it: the copy in a package folder of the same size as <paramref name="built"/>
    /// (the patch flips one flag bit and never changes the size).
    /// </summary>
    public static string ShippedCopyOf(string built, params string[] packageFolders)
    {
        long size = new FileInfo(built).Length;
        return packageFolders.Where(Directory.Exists)
            .SelectMany(f => Directory.Exists(Path.Combine(f, "torchsharp")) ? Directory.GetFiles(Path.Combine(f, "torchsharp"), "libLibTorchSharp.so", SearchOption.AllDirectories) : [])
            .First(f => new FileInfo(f).Length == size);
    }
}
