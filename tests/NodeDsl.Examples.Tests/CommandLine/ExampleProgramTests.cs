using System.Reflection;
using System.Text.RegularExpressions;

namespace NodeDsl.Examples.Tests.CommandLine;

/// <summary>
/// Every example's real entry point (its Program.cs, called in-process) follows the shared command-line convention:
/// <c>--help</c> lists the shared options and exits 0; an unknown option, a stray positional argument or a bad value
/// exits non-zero with a message naming it, before anything is trained.
/// </summary>
public sealed class ExampleProgramTests
{
    /// <summary>Each example's entry assembly, found through a public type it defines, and whether it trains (has --quick).</summary>
    static readonly Dictionary<string, (Assembly Assembly, bool Trains)> Programs = new()
    {
        ["Spiral"] = (typeof(Spiral.SpiralCommandLine).Assembly, true),
        ["SystemIdentification"] = (typeof(SystemIdentification.SystemIdentificationCommandLine).Assembly, true),
        ["SolverComparison"] = (typeof(SolverComparison.ComparisonCommandLine).Assembly, true),
        ["LotkaVolterraUde"] = (typeof(LotkaVolterraUde.UdeCommandLine).Assembly, true),
        ["HamiltonianNN"] = (typeof(HamiltonianNN.HnnCommandLine).Assembly, true),
        ["AugmentedNode"] = (typeof(AugmentedNode.AugmentedNodeCommandLine).Assembly, true),
        ["LatentOde"] = (typeof(LatentOdeSpirals.LatentOdeCommandLine).Assembly, true),
        ["Cnf"] = (typeof(Cnf.CnfCommandLine).Assembly, true),
        ["HamiltonianChain"] = (typeof(HamiltonianChain.ChainCommandLine).Assembly, true),
        ["ParametrizedSurrogate"] = (typeof(ParametrizedSurrogate.SurrogateCommandLine).Assembly, true),
        ["AnchoredEnsembles"] = (typeof(AnchoredEnsembles.EnsembleCommandLine).Assembly, true),
        ["OdeNetImages"] = (typeof(OdeNetImages.ImageCommandLine).Assembly, true),
        ["EcgHeartbeats"] = (typeof(EcgHeartbeats.EcgCommandLine).Assembly, true),
        ["SurrogateExport"] = (typeof(SurrogateExport.ExportCommandLine).Assembly, true),
        ["SurrogateConsumer"] = (typeof(SurrogateConsumer.ConsumerCommandLine).Assembly, false),
        ["SecondOrder"] = (typeof(SecondOrder.SecondOrderCommandLine).Assembly, true),
        ["DoublePendulum"] = (typeof(DoublePendulum.PendulumCommandLine).Assembly, true),
        // Built without TorchSharp and with the same model type as SurrogateLibrary, so it is loaded from its own output.
        ["SurrogateLiteConsumer"] = (BuiltExample("SurrogateLiteConsumer"), false),
    };

    // An example's assembly from its build folder (artifacts/bin/<project>/<configuration>, beside this test's own).
    static Assembly BuiltExample(string project)
    {
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Assembly.LoadFrom(Path.Combine(own.Parent!.Parent!.FullName, project, own.Name, project + ".dll"));
    }

    public static TheoryData<string> Examples => new(Programs.Keys);

    [Fact]
    public void EveryExampleProjectIsCovered()
    {
        // examples/* minus the library and the shared helper: a new example must join the list above.
        var apps = Directory.GetDirectories(Path.Combine(Docs.DocSnippets.RepositoryRoot, "examples"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("SurrogateLibrary" or "SurrogateLiteLibrary" or "Shared"))
            .Order();
        Assert.Equal(apps, Programs.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void HelpExits0AndListsTheSharedOptions(string example)
    {
        var (code, output, error) = RunMain(example, "--help");
        Assert.True(code == 0, $"{example} --help exited {code}: {error}");
        Assert.Contains("--output <DIR>", output);
        Assert.Contains("--help", output);
        Assert.Equal(Programs[example].Trains, output.Contains("--quick", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void AnUnknownOptionExitsNonZeroAndNamesIt(string example)
    {
        var (code, _, error) = RunMain(example, "--no-such-option");
        Assert.NotEqual(0, code);
        Assert.Contains("'--no-such-option'", error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void APositionalOutputFolderIsAnErrorThatNamesIt(string example)
    {
        // The old convention (LotkaVolterraUde's args[0], the others' trailing OUTPUT_DIR) must not silently write elsewhere.
        var (code, _, error) = RunMain(example, "out/somewhere");
        Assert.NotEqual(0, code);
        Assert.Contains("'out/somewhere'", error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void OutputWithoutAFolderIsAnError(string example)
    {
        var (code, _, error) = RunMain(example, "--output");
        Assert.NotEqual(0, code);
        Assert.Contains("--output", error);
    }

    [Fact]
    public void TheReadmeTableListsExactlyTheOptionsEachExampleTakes()
    {
        var lines = File.ReadAllLines(Path.Combine(Docs.DocSnippets.RepositoryRoot, "README.md"));
        int header = Array.FindIndex(lines, l => l.StartsWith("| example | what it shows | its own options", StringComparison.Ordinal));
        Assert.True(header >= 0, "README.md has no examples table with an options column.");
        var seen = new HashSet<string>();
        foreach (var row in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = row.Split(" | ");   // an escaped \| inside a cell has no spaces around it
            var names = Regex.Matches(cells[0], "`(\\w+)`").Select(m => m.Groups[1].Value).Where(Programs.ContainsKey).ToArray();
            Assert.True(names.Length > 0, $"README row names no example: {row}");
            seen.UnionWith(names);
            var documented = Options(cells[2]);
            var help = names.ToDictionary(n => n, n => Options(RunMain(n, "--help").Output));
            foreach (var option in documented)
                Assert.True(names.Any(n => help[n].Contains(option)), $"README lists {option} for {string.Join("/", names)}, which do not take it.");
            foreach (var (name, options) in help)
                foreach (var option in options.Except(["--help", "--version", "--quick", "--output"]))
                    Assert.True(documented.Contains(option), $"{name} takes {option} but its README row does not list it.");
        }
        Assert.Equal(Programs.Keys.Order(), seen.Order());
    }

    static HashSet<string> Options(string text) => [.. Regex.Matches(text, "(?<![\\w-])--[a-z][a-z-]*").Select(m => m.Value)];

    /// <summary>Runs the example's Main in-process with the console captured (the test collection runs one test at a time).</summary>
    static (int Code, string Output, string Error) RunMain(string example, params string[] args)
    {
        var entry = Programs[example].Assembly.EntryPoint ?? throw new InvalidOperationException($"{example} has no entry point.");
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var result = entry.Invoke(null, [args]);
            return ((int)result!, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
