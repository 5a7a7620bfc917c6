using System.Text.RegularExpressions;

namespace NodeDsl.Examples.Tests.Docs;

/// <summary>
/// Keeps documented code and tested code the same: a docs page marks a code block with
/// <c>&lt;!-- snippet: NAME --&gt;</c> on the line before it, a test file holds the same code between
/// <c>#region snippet: NAME</c> and <c>#endregion</c>, and <see cref="AssertSame"/> compares the two (indentation and
/// blank lines aside). Editing one without the other fails the test that runs the code.
/// </summary>
public static class DocSnippets
{
    /// <summary>Fails unless the block <paramref name="name"/> of <paramref name="docPage"/> equals the region of <paramref name="testFile"/>.</summary>
    /// <param name="docPage">Path from the repository root, e.g. docs/training.md.</param>
    /// <param name="testFile">Path from the repository root of the test file holding the region.</param>
    public static void AssertSame(string docPage, string testFile, string name)
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot, docPage));
        var block = Regex.Match(doc, $@"<!-- snippet: {Regex.Escape(name)} -->\s*```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, $"{docPage} has no ```csharp block after '<!-- snippet: {name} -->'.");
        var source = File.ReadAllText(Path.Combine(RepositoryRoot, testFile));
        var region = Regex.Match(source, $@"#region snippet: {Regex.Escape(name)}\s*\n(.*?)\n\s*#endregion", RegexOptions.Singleline);
        Assert.True(region.Success, $"{testFile} has no '#region snippet: {name}'.");
        Assert.Equal(Normalize(region.Groups[1].Value), Normalize(block.Groups[1].Value));
    }

    /// <summary>The folder holding NodeDsl.sln.</summary>
    public static string RepositoryRoot => RepositoryPaths.Root;

    static string[] Normalize(string code)
    {
        var lines = code.Replace("\r", "").Split('\n').Where(l => l.Trim().Length > 0).ToArray();
        int indent = lines.Length == 0 ? 0 : lines.Min(l => l.Length - l.TrimStart().Length);
        return [.. lines.Select(l => l[indent..].TrimEnd())];
    }
}
