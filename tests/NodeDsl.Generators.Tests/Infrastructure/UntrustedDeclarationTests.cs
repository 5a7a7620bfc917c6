using Microsoft.CodeAnalysis;

namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>
/// A model whose declaration has syntax errors gets no generated code and no NODE diagnostics: the compiler's syntax
/// error is the one to fix, and code generated from a half-parsed class would only add errors inside generated files.
/// </summary>
public class UntrustedDeclarationTests
{
    const string Usings = "using NodeDsl;\nusing static NodeDsl.DslMath;\n";

    public static TheoryData<string, string> Damaged => new()
    {
        { "class name deleted", "namespace Test;\n[OdeModel] public partial class { [State] double x; [Rates] double R() => -x; }" },
        { "rates body cut", "namespace Test;\n[OdeModel] public partial class D { [State] double x; [Rates] double R() => -x +; }" },
        { "field type deleted", "namespace Test;\n[OdeModel] public partial class D { [State] x; [Rates] double R() => -1.0; }" },
        { "namespace name cut", "namespace Test.;\n[OdeModel] public partial class D { [State] double x; [Rates] double R() => -x; }" },
        { "containing class name deleted", "namespace Test;\npublic partial class { [OdeModel] public partial class D { [State] double x; [Rates] double R() => -x; } }" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void DamagedDeclarationGetsNoCodeAndOnlyTheCompilersError(string what, string source)
    {
        var outcome = GeneratorRunner.Run(Usings + source);
        Assert.True(outcome.Sources.Count == 0, $"{what}: generated {string.Join(", ", outcome.Sources.Select(s => s.HintName))}");
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id.StartsWith("NODE", StringComparison.Ordinal) || d.Id == "CS8785");
        Assert.Contains(outcome.CompilationErrors, d => d.Location.GetLineSpan().Path == "Model0.cs");
    }

    [Fact]
    public void ModelWhoseStateIsDeclaredTwiceGetsNoCode()
    {
        // A copy of the model in a second file, attribute already removed: one class whose fields exist twice (CS0102).
        var outcome = GeneratorRunner.Run(
            Usings + "namespace Test;\n[OdeModel] public partial class D { [State] double x; [Rates] double R() => -x; }",
            Usings + "namespace Test;\npublic partial class D { [State] double x; }");
        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains(outcome.CompilationErrors, d => d.Id == "CS0102");
    }

    [Theory]
    [InlineData("public class Helper { int Broken() => ; }\n[OdeModel] public partial class D { [State] double x; [Rates] double R() => -x; }")]
    [InlineData("public partial class Outer { int Broken() => ; [OdeModel] public partial class D { [State] double x; [Rates] double R() => -x; } }")]
    public void SyntaxErrorOutsideTheModelDoesNotCostItsCode(string source)
    {
        // The error is in another class, or in a member (not the header) of the class that contains the model.
        var outcome = GeneratorRunner.Run(Usings + "namespace Test;\n" + source);
        Assert.Single(outcome.ModelSources);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.All(outcome.CompilationErrors, d => Assert.Equal("Model0.cs", d.Location.GetLineSpan().Path));
    }
}
