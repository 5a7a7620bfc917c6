namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>The example models of NodeDsl.Models.Tests (copied to Examples/ in the output folder).</summary>
internal static class Examples
{
    /// <summary>Number of [OdeModel]/[HamiltonianModel]/[LagrangianModel] classes in the examples.</summary>
    public const int ModelCount = 30;

    static string Directory => Path.Combine(AppContext.BaseDirectory, "Examples");

    public static string[] All() => Files().Select(f => f.Text).ToArray();

    /// <summary>Each example file's name and text, in a fixed order.</summary>
    public static IEnumerable<(string Name, string Text)> Files()
        => System.IO.Directory.GetFiles(Directory, "*.cs").Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.ReadAllText(p)));
}
