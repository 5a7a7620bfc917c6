using Microsoft.CodeAnalysis;
using NodeDsl.Generators.Tests.Infrastructure;

namespace NodeDsl.Generators.Tests.Diagnostics;

internal static class DiagnosticAssert
{
    public const string Usings = "using NodeDsl;\nusing static NodeDsl.DslMath;\nnamespace Test;\n";

    /// <summary>Asserts that the generator reports <paramref name="id"/> exactly at the span marked [|…|]; returns that diagnostic.</summary>
    public static Diagnostic Reports(string id, string markedBody)
    {
        var source = MarkedSource.Parse(Usings + markedBody);
        var outcome = GeneratorRunner.Run(compile: false, source.Text);
        var ours = outcome.GeneratorDiagnostics.Where(d => d.Id.StartsWith("NODE", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(ours, d => d.Id == "NODE099" && id != "NODE099");
        var match = ours.Where(d => d.Id == id).ToList();
        Assert.True(match.Count > 0, $"Expected {id}; got: {string.Join("; ", ours.Select(d => d.ToString()))}");
        Assert.Contains(match, d => d.Location.SourceSpan == source.Span && d.Location.GetLineSpan().Path == "Model0.cs");
        Assert.All(match, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.All(match, d => Assert.EndsWith($"docs/diagnostics/{id}.md", d.Descriptor.HelpLinkUri, StringComparison.Ordinal));
        return match.First(d => d.Location.SourceSpan == source.Span);
    }

    /// <summary>Asserts the message of a diagnostic mentions every one of <paramref name="parts"/>.</summary>
    public static void MessageNames(Diagnostic diagnostic, params string[] parts)
    {
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var part in parts) Assert.True(message.Contains(part, StringComparison.Ordinal), $"'{part}' missing from: {message}");
    }
}
