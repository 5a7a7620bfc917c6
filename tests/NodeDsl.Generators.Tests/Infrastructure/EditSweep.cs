using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Edits of the example models as an IDE sees them while a user types (a prefix of a file, or 1, 4 or 12 characters
/// deleted at some offset), each run through the generator alone. Counts what must never happen: a generator
/// exception (CS8785/NODE099) and a compiler error located inside a generated file.
/// </summary>
internal static class EditSweep
{
    static readonly int[] DeletionLengths = [1, 4, 12];

    // What the generator writes for the unedited examples; the snapshot and compile tests check that it compiles.
    static readonly Lazy<HashSet<string>> Unedited = new(() => GeneratorRunner.Run(compile: false, Examples.All()).Sources.Select(s => s.Text).ToHashSet());

    /// <summary>What one sweep found.</summary>
    internal sealed record Outcome(int Variants, int WithGeneratedCode, IReadOnlyList<string> Exceptions, IReadOnlyList<string> ErrorsInGeneratedCode);

    /// <summary>
    /// Every example file with <paramref name="perFile"/> variants: a third prefixes, the rest deletions, offsets
    /// drawn with a fixed <paramref name="seed"/> (so a failure is reproducible from its description).
    /// </summary>
    public static List<(string Name, string Text)> Variants(int perFile, int seed)
    {
        var rng = new Random(seed);
        var variants = new List<(string, string)>();
        foreach (var (file, source) in Examples.Files())
        {
            int prefixes = perFile / 3;
            for (int i = 0; i < prefixes; i++)
            {
                int length = rng.Next(source.Length);
                variants.Add(($"{file}: prefix of {length} characters", source[..length]));
            }
            for (int i = prefixes; i < perFile; i++)
            {
                int count = DeletionLengths[i % DeletionLengths.Length];
                int at = rng.Next(source.Length - count);
                variants.Add(($"{file}: {count} characters deleted at {at}", source.Remove(at, count)));
            }
        }
        return variants;
    }

    /// <summary>
    /// Runs the variants (in parallel). A generated file is fully compiled when its text is new; one identical to the
    /// unedited example's output is checked for declaration errors only unless <paramref name="alwaysFull"/> — its
    /// bodies only reference members the parser validated, and binding them is most of the cost.
    /// </summary>
    public static Outcome Run(IReadOnlyList<(string Name, string Text)> variants, bool alwaysFull)
    {
        var exceptions = new ConcurrentBag<string>();
        var errors = new ConcurrentBag<string>();
        int generated = 0;
        Parallel.ForEach(variants, variant =>
        {
            var (name, text) = variant;
            var compilation = GeneratorRunner.Compile(text);
            var driver = GeneratorRunner.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
            var result = driver.GetRunResult().Results[0];
            if (result.Exception is not null || diagnostics.Any(d => d.Id is "CS8785" or "NODE099"))
                exceptions.Add($"{name}: {result.Exception?.Message ?? string.Join("; ", diagnostics.Where(d => d.Id is "CS8785" or "NODE099"))}");
            if (result.GeneratedSources.Length > 0) Interlocked.Increment(ref generated);
            foreach (var tree in output.SyntaxTrees.Where(t => !compilation.SyntaxTrees.Contains(t)))
            {
                // Only the generated file is bound (not the user's, whose errors are expected).
                var model = output.GetSemanticModel(tree);
                var found = alwaysFull || !Unedited.Value.Contains(tree.GetText().ToString()) ? model.GetDiagnostics() : model.GetDeclarationDiagnostics();
                var inGenerated = found.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (inGenerated.Count > 0)
                    errors.Add($"{name}: {inGenerated.Count} error(s) in {Path.GetFileName(tree.FilePath)}, first {inGenerated[0]}");
            }
        });
        return new Outcome(variants.Count, generated, exceptions.Order(StringComparer.Ordinal).ToList(), errors.Order(StringComparer.Ordinal).ToList());
    }
}
