using System.Runtime.CompilerServices;
using NodeDsl.Generators.Diagnostics;

namespace NodeDsl.Generators.Tests.Diagnostics;

/// <summary>The diagnostics catalogue, the release tracking file and the docs pages stay in sync.</summary>
public class CatalogueTests
{
    static string RepoRoot([CallerFilePath] string file = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "..", ".."));

    [Fact]
    public void EveryDiagnosticHasADocsPageAndAReleaseEntry()
    {
        var root = RepoRoot();
        var releases = File.ReadAllText(Path.Combine(root, "src", "Generators", "AnalyzerReleases.Unshipped.md"));
        var index = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", "README.md"));
        foreach (var d in DiagnosticDescriptors.All)
        {
            Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", d.Id + ".md")), $"docs/diagnostics/{d.Id}.md is missing");
            Assert.Contains($"{d.Id} | NodeDsl | Error |", releases, StringComparison.Ordinal);
            Assert.EndsWith($"docs/diagnostics/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains($"[{d.Id}]({d.Id}.md) | {d.Title} |", index, StringComparison.Ordinal);
            Assert.Contains($"{d.Id} | NodeDsl | Error | {d.Title}", releases, StringComparison.Ordinal);
        }
        Assert.Equal(DiagnosticDescriptors.All.Count, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public void EveryDiagnosticExplainsItsRule()
    {
        // The description is what an IDE shows under the message: the rule behind the diagnostic, not the instance.
        Assert.All(DiagnosticDescriptors.All, d => Assert.True(d.Description.ToString(System.Globalization.CultureInfo.InvariantCulture).Length > 40,
            $"{d.Id} has no description"));
    }

    [Fact]
    public void EveryDiagnosticHasATest()
    {
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name.Split('_')[0]).ToHashSet();
        Assert.All(DiagnosticDescriptors.All, d => Assert.Contains(d.Id, tested));
    }
}
