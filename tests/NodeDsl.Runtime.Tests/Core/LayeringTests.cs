using System.Text.RegularExpressions;

namespace NodeDsl.Runtime.Tests.Core;

/// <summary>
/// The runtime's folders are layers with one direction (docs/architecture.md, "Runtime"): Core ← Solvers ← Gradients ←
/// Models/Training/Export, and no cycle between any two folders. Read from the sources, because Core, Solvers, Gradients
/// and Models share the namespace users import (<c>NodeDsl.Runtime</c>), so reflection cannot tell their types apart.
/// </summary>
public partial class LayeringTests
{
    // What each lower layer may use; everything else (Models, Data, Training, Export, Ensembles, the entry point Ode in the
    // project's root folder) sits above them.
    static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Core"] = [],
        ["Solvers"] = ["Core"],
        ["Gradients"] = ["Core", "Solvers"],
    };

    [Fact]
    public void LowerLayersUseOnlyTheLayersBelowThem()
    {
        var edges = FolderDependencies();
        var violations = edges.Where(e => Allowed.TryGetValue(e.Key.From, out var allowed) && !allowed.Contains(e.Key.To))
            .Select(e => $"{e.Key.From} → {e.Key.To} ({string.Join(", ", e.Value.Take(5))})").ToList();
        Assert.True(violations.Count == 0, "Layer violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void FoldersHaveNoCycles()
    {
        var edges = FolderDependencies();
        var graph = edges.Keys.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        // Depth-first search; a back edge closes a cycle.
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        string? cycle = null;
        void Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []))
            {
                if (cycle is not null) return;
                if (state.GetValueOrDefault(next) == 1)
                {
                    var loop = path.Skip(path.IndexOf(next)).Append(next).ToList();
                    cycle = string.Join(" → ", loop) + ": " + string.Join("; ",
                        loop.Zip(loop.Skip(1)).Select(p => $"{p.First}→{p.Second} via {string.Join(", ", edges[(p.First, p.Second)].Take(3))}"));
                }
                else if (!state.ContainsKey(next)) Visit(next);
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
        }
        foreach (var node in graph.Keys.Order())
            if (!state.ContainsKey(node) && cycle is null) Visit(node);
        Assert.True(cycle is null, "Folder cycle: " + cycle);
    }

    [Fact]
    public void TheCheckSeesACycle()
    {
        // The detector itself: a type name declared in Gradients and used in Core is an edge Core → Gradients.
        var edges = Dependencies(new Dictionary<string, string>
        {
            ["Core/A.cs"] = "class Alpha { Beta b; }",
            ["Gradients/B.cs"] = "class Beta { Alpha a; } // Gamma in a comment is not a use",
            ["Solvers/C.cs"] = "class Gamma { string s = \"Beta\"; }",
        });
        Assert.Equal(new[] { "Core→Gradients", "Gradients→Core" }, edges.Keys.Select(k => $"{k.From}→{k.To}").Order().ToArray());
    }

    // Folder → folder edges of src/Runtime, each with the type names (and files) that make it.
    static Dictionary<(string From, string To), List<string>> FolderDependencies()
    {
        var root = Path.Combine(RepositoryPaths.Root, "src", "Runtime");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}buildTransitive{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText);
        return Dependencies(files);
    }

    static Dictionary<(string From, string To), List<string>> Dependencies(IReadOnlyDictionary<string, string> files)
    {
        static string Folder(string path) => path.Contains('/') ? path[..path.IndexOf('/')] : "(root)";
        var code = files.ToDictionary(f => f.Key, f => Strip(f.Value));
        // Type names declared in exactly one folder (a name declared in two, e.g. nested records, says nothing).
        var declared = code.SelectMany(f => Declaration().Matches(f.Value).Select(m => (Name: m.Groups[1].Value, Folder: Folder(f.Key))))
            .Distinct().GroupBy(d => d.Name).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Folder);
        var edges = new Dictionary<(string, string), List<string>>();
        foreach (var (path, text) in code)
        {
            var from = Folder(path);
            foreach (var word in Identifier().Matches(text).Select(m => m.Value).Distinct())
            {
                if (!declared.TryGetValue(word, out var to) || to == from) continue;
                if (!edges.TryGetValue((from, to), out var uses)) edges[(from, to)] = uses = [];
                uses.Add($"{word} in {Path.GetFileName(path)}");
            }
        }
        return edges;
    }

    // Comments (doc crefs may name any layer) and string literals are not dependencies.
    static string Strip(string source) => StringLiteral().Replace(LineComment().Replace(source, ""), "\"\"");

    [GeneratedRegex(@"\b(?:class|interface|record|struct|enum)\s+(\w+)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"@?""(?:\\.|[^""\\])*""")]
    private static partial Regex StringLiteral();
}
