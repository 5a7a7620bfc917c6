using System.IO.Compression;
using System.Xml.Linq;

namespace NodeDsl.Packaging.Tests;

/// <summary>What each package holds and declares, read from the packed files.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class PackageContentTests(PackageFeed feed)
{
    static readonly string[] LibraryPackages = ["NodeDsl.Attributes", "NodeDsl.Runtime", "NodeDsl.Plotting", "NodeDsl.Prediction"];
    static readonly string[] AllPackages = ["NodeDsl", "NodeDsl.Attributes", "NodeDsl.Runtime", "NodeDsl.Plotting", "NodeDsl.Templates", "NodeDsl.Prediction"];

    [Fact]
    public void TheNodeDslPackageCarriesTheGeneratorAndBringsTheRuntime()
    {
        var (entries, nuspec) = Read("NodeDsl");
        Assert.Contains("analyzers/dotnet/cs/NodeDsl.Generators.dll", entries);
        Assert.DoesNotContain(entries, e => e.EndsWith("NodeDsl.dll", StringComparison.Ordinal));   // that is NodeDsl.Attributes
        Assert.Equal(["NodeDsl.Runtime"], Dependencies(nuspec).Select(d => d.Id));
    }

    [Fact]
    public void ThePredictionPackageCarriesTheGeneratorAndNoTorchSharp()
    {
        var (entries, nuspec) = Read("NodeDsl.Prediction");
        Assert.Contains("lib/net10.0/NodeDsl.Prediction.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/NodeDsl.Generators.dll", entries);
        Assert.Equal(["NodeDsl.Attributes", "NodeDsl.Numerics"], Dependencies(nuspec).Select(d => d.Id).Order());
        // The runtime depends on it without its analyzers, so NodeDsl's users run the generator once (from the NodeDsl package).
        var (_, runtime) = Read("NodeDsl.Runtime");
        var dependency = runtime.Descendants(runtime.Root!.Name.Namespace + "dependency").Single(d => d.Attribute("id")!.Value == "NodeDsl.Prediction");
        Assert.Contains("Analyzers", dependency.Attribute("exclude")?.Value ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void TheRuntimeCarriesTheNativeFixAndDependsOnNothingThatDrawsOrPrints()
    {
        var (entries, nuspec) = Read("NodeDsl.Runtime");
        Assert.Contains("lib/net10.0/NodeDsl.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/NodeDsl.Runtime.xml", entries);
        Assert.Contains("buildTransitive/NodeDsl.Runtime.targets", entries);
        Assert.Contains("buildTransitive/PatchGlibcxxVersionNeed.cs", entries);
        var dependencies = Dependencies(nuspec).Select(d => d.Id).ToArray();
        Assert.Contains("NodeDsl.Attributes", dependencies);
        Assert.Contains("TorchSharp-cpu", dependencies);
        // Besides TorchSharp only NodeDsl's own TorchSharp-free packages (today the attributes; e.g. a numerics package later).
        Assert.All(dependencies, id => Assert.True(id == "TorchSharp-cpu" || id.StartsWith("NodeDsl.", StringComparison.Ordinal), id));
    }

    [Fact]
    public void PlottingConsoleAndCsvLiveInNodeDslPlotting()
    {
        var (entries, nuspec) = Read("NodeDsl.Plotting");
        Assert.Contains("lib/net10.0/NodeDsl.Plotting.dll", entries);
        Assert.Equal(["CsvHelper", "NodeDsl.Runtime", "ScottPlot", "SkiaSharp.NativeAssets.Linux.NoDependencies", "Spectre.Console"],
            Dependencies(nuspec).Select(d => d.Id).Order());
    }

    [Fact]
    public void TheTemplatePackageHoldsTheTemplateWithThisVersion()
    {
        var (entries, nuspec) = Read("NodeDsl.Templates");
        Assert.Equal("Template", nuspec.Descendants(nuspec.Root!.Name.Namespace + "packageType").Single().Attribute("name")!.Value);
        Assert.Contains("content/nodedsl-model/.template.config/template.json", entries);
        Assert.Contains("content/nodedsl-model/MyModel.Tests/OscillatorTests.cs", entries);
    }

    [Fact]
    public void EveryPackageHasTheSameVersionAndTheMetadataOfTheEcosystem()
    {
        foreach (var id in AllPackages)
        {
            var (entries, nuspec) = Read(id);
            var ns = nuspec.Root!.Name.Namespace;
            string Field(string name) => nuspec.Descendants(ns + name).Single().Value;
            Assert.Equal(feed.Version, Field("version"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.Contains("README.md", entries);
            Assert.False(string.IsNullOrWhiteSpace(Field("description")));
            var repository = nuspec.Descendants(ns + "repository").Single();
            Assert.Equal("https://github.com/nodedsl/nodedsl", repository.Attribute("url")?.Value);
            Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");   // the commit it was built from
            // Every NodeDsl dependency is pinned to this same version (one version for all packages).
            Assert.All(Dependencies(nuspec).Where(d => d.Id.StartsWith("NodeDsl", StringComparison.Ordinal)), d => Assert.Equal(feed.Version, d.Version));
        }
    }

    [Fact]
    public void LibraryPackagesHaveXmlDocsAndSymbolPackages()
    {
        foreach (var id in LibraryPackages)
        {
            var assembly = id == "NodeDsl.Attributes" ? "NodeDsl" : id;   // the attributes package holds NodeDsl.dll
            var (entries, _) = Read(id);
            Assert.Contains($"lib/net10.0/{assembly}.dll", entries);
            Assert.Contains($"lib/net10.0/{assembly}.xml", entries);
            using var symbols = ZipFile.OpenRead(feed.Package(id, ".snupkg"));
            Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{assembly}.pdb");
        }
    }

    (string[] Entries, XDocument Nuspec) Read(string id)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        var nuspec = package.Entries.Single(e => e.FullName == id + ".nuspec");
        using var stream = nuspec.Open();
        return ([.. package.Entries.Select(e => e.FullName)], XDocument.Load(stream));
    }

    static IEnumerable<(string Id, string Version)> Dependencies(XDocument nuspec)
        => nuspec.Descendants(nuspec.Root!.Name.Namespace + "dependency").Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value));
}
