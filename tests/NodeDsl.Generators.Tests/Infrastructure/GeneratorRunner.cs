using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NodeDsl.Generators;

namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>Runs the generator over in-memory sources against the real NodeDsl, NodeDsl.Numerics, NodeDsl.Runtime and TorchSharp assemblies.</summary>
internal static class GeneratorRunner
{
    static readonly Lazy<ImmutableArray<MetadataReference>> references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(NodeDsl.Vec).Assembly.Location);
        paths.Add(typeof(NodeDsl.Runtime.OdeModel).Assembly.Location);
        paths.Add(typeof(NodeDsl.Numerics.KernelLayout).Assembly.Location);
        paths.Add(typeof(NodeDsl.Prediction.IPredictionModel).Assembly.Location);
        paths.Add(typeof(TorchSharp.torch).Assembly.Location);
        return [.. paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    // A library that only predicts: NodeDsl, NodeDsl.Numerics and NodeDsl.Prediction, no runtime and no TorchSharp.
    static readonly Lazy<CSharpCompilation> predictionOnly = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("TorchSharp", StringComparison.Ordinal) && Path.GetFileName(p) != "NodeDsl.Runtime.dll").ToList();
        paths.Add(typeof(NodeDsl.Vec).Assembly.Location);
        paths.Add(typeof(NodeDsl.Numerics.KernelLayout).Assembly.Location);
        paths.Add(typeof(NodeDsl.Prediction.IPredictionModel).Assembly.Location);
        return CSharpCompilation.Create("PredictionModels", [], paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    // Compilations derived from one another share their reference manager, so the ~170 referenced assemblies are
    // read into symbols once per test run instead of once per compilation.
    static readonly Lazy<CSharpCompilation> empty = new(() => CSharpCompilation.Create("Models", [], references.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)));

    public static CSharpCompilation Compile(params string[] sources)
        => empty.Value.AddSyntaxTrees(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Model{i}.cs")));

    /// <summary>The sources in a compilation that references NodeDsl.Prediction and not NodeDsl.Runtime or TorchSharp.</summary>
    public static CSharpCompilation CompileForPrediction(params string[] sources)
        => predictionOnly.Value.AddSyntaxTrees(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Model{i}.cs")));

    /// <summary>Runs the generator in a prediction-only compilation (<see cref="CompileForPrediction"/>) and compiles its output.</summary>
    public static GeneratorOutcome RunForPrediction(params string[] sources)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(CompileForPrediction(sources), out var output, out var generatorDiagnostics);
        return new GeneratorOutcome(
            generatorDiagnostics,
            driver.GetRunResult().GeneratedTrees.Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString())).ToList(),
            output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray(),
            output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Warning).ToImmutableArray());
    }

    public static GeneratorDriver CreateDriver(bool trackSteps = false)
        => CSharpGeneratorDriver.Create(
            [new OdeModelGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns its diagnostics, its sources and the diagnostics of the compilation with them.</summary>
    public static GeneratorOutcome Run(params string[] sources) => Run(true, sources);

    /// <summary>Runs the generator; with <paramref name="compile"/> false the output compilation is not checked (faster).</summary>
    public static GeneratorOutcome Run(bool compile, params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        return new GeneratorOutcome(
            generatorDiagnostics,
            result.GeneratedTrees.Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString())).ToList(),
            compile ? output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray() : [],
            compile ? output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Warning).ToImmutableArray() : []);
    }
}

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorOutcome(
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    IReadOnlyList<(string HintName, string Text)> Sources,
    ImmutableArray<Diagnostic> CompilationErrors,
    ImmutableArray<Diagnostic> CompilationWarnings)
{
    /// <summary>The TorchSharp model files, without the native kernel files emitted beside eligible models.</summary>
    public IReadOnlyList<(string HintName, string Text)> ModelSources { get; } =
        Sources.Where(s => !s.HintName.EndsWith(".Native.g.cs", StringComparison.Ordinal)).ToList();
}
