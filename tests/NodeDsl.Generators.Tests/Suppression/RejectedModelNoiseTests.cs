using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NodeDsl.Generators.Tests.Infrastructure;

namespace NodeDsl.Generators.Tests.Suppression;

/// <summary>
/// A model the generator rejects shows its NODE error and the compiler's real errors, not a warning per state field
/// (CS0649/CS0169, suppressed) nor CS8795 per [Neural] method (its declaration is completed instead).
/// </summary>
public class RejectedModelNoiseTests
{
    // NODE008 (a Vec passed for a double) makes the generator reject the model.
    const string Rejected = """
        using NodeDsl;
        namespace Test;
        [OdeModel] public partial class Rejected
        {
            [State] double x, unread;
            [State(Size = 2)] Vec h;
            [Time] double t;
            [Input] double mu;
            [Constant] double k;
            [Neural(8)] private partial double Net(double a);
            [Neural(8)] public partial (double, double b) Pair(Vec z);
            [Rates] (double x, double unread, Vec h) R()
            {
                var pair = Pair(h);
                return (Net(h) + k * mu * t + x + pair.b, 0.0, h);
            }
        }
        public class NotAModel
        {
            [State] double x;
            public double Read() => x;
        }
        """;

    static async Task<(ImmutableArray<Diagnostic>, Compilation)> CompileWithSuppressor(string source)
    {
        var compilation = GeneratorRunner.Compile(source);
        GeneratorRunner.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);
        return (await output.WithAnalyzers([new ModelFieldSuppressor()], options).GetAllDiagnosticsAsync(), output);
    }

    // "Field 'Test.Rejected.x' is never assigned…" → "Rejected.x".
    static string Field(Diagnostic d) => string.Join(".", d.GetMessage().Split('\'')[1].Split('.').TakeLast(2));

    [Fact]
    public async Task NeverAssignedWarningsOnStateInputAndTimeFieldsOfAModelAreSuppressed()
    {
        var (diagnostics, compilation) = await CompileWithSuppressor(Rejected);
        var suppressed = diagnostics.Where(d => d.IsSuppressed).ToList();
        Assert.Equal(["Rejected.h", "Rejected.mu", "Rejected.t", "Rejected.unread", "Rejected.x"], suppressed.Select(Field).Order(StringComparer.Ordinal));
        Assert.All(suppressed, d => Assert.Contains(d.Id, new[] { "CS0649", "CS0169" }));
        Assert.All(suppressed, d =>
        {
            var descriptor = d.GetSuppressionInfo(compilation)!.ProgrammaticSuppressions.Single().Descriptor;
            Assert.StartsWith("NODESPR00", descriptor.Id, StringComparison.Ordinal);
            Assert.Equal(d.Id, descriptor.SuppressedDiagnosticId);
            Assert.Contains("NODE diagnostics say what to fix", descriptor.Justification.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task OtherFieldsKeepTheirWarnings()
    {
        // A [Constant] without a value really is always 0, and a [State] outside a model is not assigned by anything.
        var kept = (await CompileWithSuppressor(Rejected)).Item1.Where(d => d.Id == "CS0649" && !d.IsSuppressed).Select(Field).Order(StringComparer.Ordinal);
        Assert.Equal(["NotAModel.x", "Rejected.k"], kept);
    }

    [Fact]
    public void SuppressorShipsInTheGeneratorAssemblyAsACSharpAnalyzer()
    {
        // A project that references the generator as an analyzer loads every [DiagnosticAnalyzer] type from it.
        Assert.Same(typeof(OdeModelGenerator).Assembly, typeof(ModelFieldSuppressor).Assembly);
        var attribute = Assert.Single(typeof(ModelFieldSuppressor).GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Cast<DiagnosticAnalyzerAttribute>());
        Assert.Equal([LanguageNames.CSharp], attribute.Languages);
    }

    [Fact]
    public void RejectedModelGetsItsNodeErrorButNoMissingImplementationErrors()
    {
        var outcome = GeneratorRunner.Run(Rejected);
        Assert.Equal("NODE008", Assert.Single(outcome.GeneratorDiagnostics).Id);
        // What remains is C#'s own error at the call (CS1503, Vec to double), in the user's file.
        var error = Assert.Single(outcome.CompilationErrors);
        Assert.Equal(("CS1503", "Model0.cs"), (error.Id, error.Location.GetLineSpan().Path));
        var completion = Assert.Single(outcome.Sources);
        Assert.Contains("private partial double Net(double a) => throw", completion.Text, StringComparison.Ordinal);
        Assert.Contains("public partial (double, double b) Pair(global::NodeDsl.Vec z) => throw", completion.Text, StringComparison.Ordinal);
    }
}
