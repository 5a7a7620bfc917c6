namespace NodeDsl.Runtime.Tests.Core;

public class NativeBackendExceptionTests
{
    // Shapes of .NET's DllNotFoundException message on Linux: an introduction, then one dlerror line per path tried.
    const string Intro = "Unable to load shared library 'LibTorchSharp' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: ";
    const string Missing = "/app/LibTorchSharp.so: cannot open shared object file: No such file or directory";

    [Fact]
    public void AnUnpatchedLibraryOnAnOldLibStdCxxNamesTheVersionAndThePatch()
    {
        var report = string.Join('\n', Intro,
            "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)",
            Missing);
        var message = NativeBackendException.Explain(report);
        Assert.Contains("version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)", message);
        Assert.DoesNotContain(Missing, message);                       // probing noise is left out when a file was found
        Assert.Contains("-p:NodeDslPatchLibTorchSharp=true", message);
        Assert.Contains("rebuild or republish the application on this host", message);
    }

    [Fact]
    public void AMissingLibraryListsThePathsTriedAndNamesTheBackendPackages()
    {
        var report = string.Join('\n', Intro, Missing, "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libLibTorchSharp.so: cannot open shared object file: No such file or directory");
        var message = NativeBackendException.Explain(report);
        Assert.Contains(Missing, message);                            // nothing was found: every path tried is the cause
        Assert.Contains("/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libLibTorchSharp.so", message);
        Assert.Contains("TorchSharp-cpu", message);
        Assert.Contains("TorchSharp-cuda-linux", message);
    }

    [Fact]
    public void AMissingDependencyOfTheBridgeIsNamedAlone()
    {
        // The bridge was found but libtorch next to it was not (e.g. the libtorch package's assets were excluded).
        var report = string.Join('\n', Intro, Missing, "libtorch.so: cannot open shared object file: No such file or directory");
        var message = NativeBackendException.Explain(report);
        Assert.Contains("libtorch.so: cannot open shared object file", message);
        Assert.DoesNotContain(Missing, message);
        Assert.Contains("TorchSharp-cpu", message);
    }

    [Fact]
    public void AnotherMissingSymbolVersionAsksForANewerSystemNotThePatch()
    {
        var report = string.Join('\n', Intro, "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /app/libtorch_cpu.so)");
        var message = NativeBackendException.Explain(report);
        Assert.Contains("GLIBC_2.38", message);
        Assert.Contains("newer Linux distribution", message);
        Assert.DoesNotContain("NodeDslPatchLibTorchSharp", message);  // the patch only covers GLIBCXX_3.4.32
    }

    [Fact]
    public void TheBackendOfThisBuildLoads()
    {
        // The repository's build patches the test output like a package consumer's: the probe must succeed here.
        var e = Record.Exception(NativeBackend.EnsureLoaded);
        Assert.Null(e);
    }
}
