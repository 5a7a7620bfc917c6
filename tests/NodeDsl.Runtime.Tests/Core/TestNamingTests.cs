using System.Text.RegularExpressions;

namespace NodeDsl.Runtime.Tests.Core;

/// <summary>
/// One naming convention for tests across the repository (docs/architecture.md, "Tests"): PascalCase sentences, with the
/// diagnostic ID as the only allowed prefix (<c>NODE031_UnknownUnitSymbol</c>). Read from the sources of every test project.
/// </summary>
public partial class TestNamingTests
{
    // A [Fact]/[Theory] method: the attribute, optional further attributes, then the signature.
    [GeneratedRegex(@"\[(?:Fact|Theory)[^\]]*\](?:\s*\[[^\]]*\])*\s*public\s+(?:async\s+)?(?:void|Task)\s+(?<name>\w+)\s*\(")]
    private static partial Regex TestMethod();

    [GeneratedRegex(@"^(?:NODE\d{3}_)?[A-Z][A-Za-z0-9]*$")]
    private static partial Regex PascalCaseName();

    [Fact]
    public void EveryTestMethodIsNamedInPascalCase()
    {
        var tests = Path.Combine(RepositoryPaths.Root, "tests");
        var offenders = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.EndsWith(".verified.cs", StringComparison.Ordinal))
            .SelectMany(f => TestMethod().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(tests, f), Name: m.Groups["name"].Value)))
            .Where(t => !PascalCaseName().IsMatch(t.Name))
            .Select(t => $"{t.File}: {t.Name}")
            .ToList();
        Assert.True(offenders.Count == 0, "Test methods not in PascalCase:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheConventionRejectsSnakeCaseAndAcceptsDiagnosticPrefixes()
    {
        // The check above would pass vacuously if the patterns matched nothing: pin what they accept.
        var source = "[Fact]\n    public void Snake_case_name() { }\n[Theory]\n[InlineData(1)]\n    public async Task NODE031_UnknownUnit(int x) { }";
        var names = TestMethod().Matches(source).Select(m => m.Groups["name"].Value).ToList();
        Assert.Equal(["Snake_case_name", "NODE031_UnknownUnit"], names);
        Assert.DoesNotMatch(PascalCaseName(), names[0]);
        Assert.Matches(PascalCaseName(), names[1]);
    }
}
