using System.Globalization;
using Xunit.Abstractions;

namespace NodeDsl.Packaging.Tests;

/// <summary>A user's first NodeDsl app: <c>dotnet add package NodeDsl</c>, a model file, <c>dotnet run</c>.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class ModelPackageTests(PackageFeed feed, ITestOutputHelper log)
{
    [Fact]
    public void ModelCompiledAgainstThePackageSolvesAndAgreesWithItsOwnCSharp()
    {
        var app = ConsumerProject.Create(feed, "ModelApp", "NodeDsl").WithSources("ModelApp");
        var run = app.Run().EnsureSuccess();
        log.WriteLine(run.Output);

        // The generator ran (the partial model compiled) and registered the learnable and the network's weights.
        Assert.Contains("parameters: damping, Correction.layer0.weight, Correction.layer0.bias, Correction.layer1.weight, Correction.layer1.bias", run.Output);
        var tensor = Numbers(run.Output, "tensor:");
        var scalar = Numbers(run.Output, "scalar:");
        // Generated TorchSharp code (Dopri5, rtol 1e-10) against the user's Rhs() as plain C# (RK4, h = 1e-3, global
        // error ~h^4 = 1e-12): both are accurate to ~1e-9, so 1e-6 passes with margin, while dropping any one term
        // (the damping, the time-dependent forcing cos t, the network) changes x(2) and v(2) by 1e-2 or more.
        for (int j = 0; j < 2; j++) Assert.InRange(Math.Abs(tensor[j] - scalar[j]), 0, 1e-6);
        Assert.True(Math.Abs(tensor[0]) + Math.Abs(tensor[1]) > 1e-2, "the solution moved");
        log.WriteLine($"output folder: {app.OutputBytes() / 1e6:F0} MB");

        CheckNativeFixAndFailureMessage(app);
    }

    /// <summary>
    /// The buildTransitive fix patches the app's copy of libLibTorchSharp.so on hosts that need it and on no others; with
    /// an unpatched copy the first NodeDsl call names the loader's reason and the remedy.
    /// </summary>
    void CheckNativeFixAndFailureMessage(ConsumerProject app)
    {
        var built = NativeLibraryFacts.BridgeIn(app.OutputFolder);
        var shipped = NativeLibraryFacts.ShippedCopyOf(built, Path.Combine(feed.Root, "packages"), PackageFeed.MachinePackageFolder);
        bool patched = !File.ReadAllBytes(built).AsSpan().SequenceEqual(File.ReadAllBytes(shipped));
        if (!NativeLibraryFacts.HostLacksPatchedVersion())
        {
            Assert.False(patched, "this host's libstdc++ has the version, so the library must stay as shipped");
            return;
        }
        Assert.True(patched, "this host's libstdc++ lacks the version, so the build must patch the output's copy");

        // Put the shipped library back and build with the fix switched off: the app cannot load it. (The first build
        // above showed that the default build patches it.)
        File.Copy(shipped, built, overwrite: true);
        app.Build("-p:NodeDslPatchLibTorchSharp=false").EnsureSuccess();
        var failed = app.RunBuilt();
        log.WriteLine(failed.Output);
        Assert.Equal(3, failed.ExitCode);                       // the app's catch (NativeBackendException)
        Assert.Contains("NodeDsl could not load TorchSharp's native library", failed.Output);
        Assert.Contains("version `GLIBCXX_3.4.32' not found", failed.Output);   // the loader's own words
        Assert.Contains("NodeDslPatchLibTorchSharp=true", failed.Output);        // the remedy
        Assert.DoesNotContain("doesn't contain a reference", failed.Output);     // not TorchSharp's misleading message
        Assert.DoesNotContain("LibTorchSharp.so: cannot open shared object file", failed.Output);   // probe noise left out
    }

    static double[] Numbers(string output, string label)
    {
        var line = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(label, StringComparison.Ordinal));
        return [.. line[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
    }
}
