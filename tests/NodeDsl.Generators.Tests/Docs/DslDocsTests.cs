using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace NodeDsl.Generators.Tests.Docs;

/// <summary>The models in docs/dsl.md compile as a user's project would compile them: the documented usings plus .NET's implicit ones.</summary>
public partial class DslDocsTests
{
    // What <ImplicitUsings>enable</ImplicitUsings> adds to a console project; System brings System.Math.
    const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    static string DslDoc([CallerFilePath] string file = "")
        => File.ReadAllText(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "..", "..", "docs", "dsl.md")));

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    static List<string> Blocks() => CSharpBlock().Matches(DslDoc()).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The usings the page opens with (its first C# block).</summary>
    static string DocumentedUsings()
    {
        var usings = Blocks()[0].Split('\n').Where(l => l.StartsWith("using ", StringComparison.Ordinal)).Select(l => l.Split("//")[0].Trim()).ToList();
        Assert.Contains("using NodeDsl;", usings);
        return string.Join("\n", usings) + "\n";
    }

    public static TheoryData<int> ModelBlocks()
    {
        var data = new TheoryData<int>();
        var blocks = Blocks();
        for (int i = 0; i < blocks.Count; i++)
            if (blocks[i].Contains("[OdeModel]", StringComparison.Ordinal) || blocks[i].Contains("[HamiltonianModel]", StringComparison.Ordinal))
                data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelBlocks))]
    public void DocumentedModelCompilesWithTheDocumentedUsings(int block)
    {
        var outcome = Infrastructure.GeneratorRunner.Run(ImplicitUsings, DocumentedUsings() + Blocks()[block]);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.NotEmpty(outcome.Sources);
    }

    [Fact]
    public void SystemMathFunctionsCompileInARatesBody()
    {
        // docs/dsl.md: the same-named System.Math functions work on doubles; with implicit usings 'Math' must not be ambiguous.
        var outcome = Infrastructure.GeneratorRunner.Run(ImplicitUsings, DocumentedUsings() + """
            [OdeModel]
            public partial class Friction
            {
                [State] double x, v;
                [Constant] double mu = 0.3;

                [Rates]
                (double x, double v) Rhs() => (v, -Math.Sin(x) - mu * Math.Abs(v) * v + Abs(x) * Sqrt(Math.Exp(-x * x)));
            }
            """);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Single(outcome.ModelSources);
    }
}
