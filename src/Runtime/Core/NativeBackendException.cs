namespace NodeDsl.Runtime;

/// <summary>
/// TorchSharp's native library (libLibTorchSharp) could not be loaded, so no tensor operation can run. The message
/// quotes the dynamic loader's reason and says what to do; <see cref="Exception.InnerException"/> holds the loader's
/// full report.
/// </summary>
public sealed class NativeBackendException : Exception
{
    const string Guide = "https://github.com/nodedsl/nodedsl/blob/main/docs/cuda.md";
    const string MissingFile = "cannot open shared object file: No such file or directory";

    NativeBackendException(string message, string loaderMessage, Exception inner) : base(message, inner) => LoaderMessage = loaderMessage;

    /// <summary>What the dynamic loader reported (e.g. dlerror on Linux).</summary>
    public string LoaderMessage { get; }

    internal static NativeBackendException FromLoaderFailure(Exception failure)
        => new(Explain(failure.Message), failure.Message, failure);

    /// <summary>The message for a loader report: the lines that name the cause, then the remedy for that cause.</summary>
    internal static string Explain(string loaderMessage)
    {
        // .NET's report is one introductory sentence followed by one dlerror line per path it tried. Most name a path
        // where the bridge is not ("<path>: cannot open shared object file: No such file or directory"): probing
        // noise once the bridge was found. Then the cause is the line that is not about a missing file (e.g. a
        // missing symbol version), or the missing dependency it named (e.g. "libtorch.so: cannot open …"). When the
        // bridge was found nowhere, the list of paths tried is the cause.
        var attempts = loaderMessage.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Distinct().ToArray();
        var found = attempts.Where(l => !l.EndsWith(MissingFile, StringComparison.Ordinal)).ToArray();
        var dependencies = attempts.Where(l => l.EndsWith(MissingFile, StringComparison.Ordinal) && !l.Contains(NativeBackend.BridgeLibrary, StringComparison.Ordinal)).ToArray();
        var shown = found.Length > 0 ? found : dependencies.Length > 0 ? dependencies : attempts;
        var cause = shown.Length > 0 ? string.Join(Environment.NewLine + "  ", shown) : loaderMessage.Trim();
        return "NodeDsl could not load TorchSharp's native library (libLibTorchSharp), so no tensor operation can run." + Environment.NewLine +
               "Cause (the dynamic loader's report):" + Environment.NewLine + "  " + cause + Environment.NewLine +
               "Remedy: " + Remedy(loaderMessage) + Environment.NewLine + "See " + Guide + ".";
    }

    static string Remedy(string loaderMessage)
    {
        if (loaderMessage.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal))
            return "this host's libstdc++ predates GCC 13 (e.g. Debian 12). The NodeDsl.Runtime package marks that version " +
                   "need weak in the build output's copy of libLibTorchSharp.so when the building host lacks it (MSBuild target " +
                   "NodeDslPatchTorchSharpNative), and this copy is unpatched: rebuild or republish the application on this host, " +
                   "or build it elsewhere with -p:NodeDslPatchLibTorchSharp=true; do not copy the library from the NuGet cache. " +
                   "Installing a libstdc++ from GCC 13 or newer also works.";
        if (loaderMessage.Contains("version `", StringComparison.Ordinal))
            return "a library on this host is older than the one TorchSharp's natives were built against (the version named " +
                   "above); run on a newer Linux distribution or install the newer runtime library.";
        return "the application's output lacks TorchSharp's native files or one of their dependencies. NodeDsl.Runtime brings " +
               "them through TorchSharp-cpu (or, for GPUs, add TorchSharp-cuda-linux / TorchSharp-cuda-windows); check that no " +
               "PackageReference excludes their runtime or native assets and that the application targets a platform libtorch " +
               "supports (linux-x64, win-x64, osx-arm64), then rebuild.";
    }
}
