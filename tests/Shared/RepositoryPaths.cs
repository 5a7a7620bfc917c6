/// <summary>
/// Where the repository is, for tests that read its files (docs, examples, sources) or build from it: the folder holding
/// NodeDsl.sln above the test assembly. Linked into every test project by tests/Directory.Build.props.
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding NodeDsl.sln.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NodeDsl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"NodeDsl.sln not found above {AppContext.BaseDirectory}: run the tests from a build of the repository.");
    }
}
