namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>Every model gets its own deterministic file; a model declared twice never costs the other models their code.</summary>
public class HintNameTests
{
    const string Decay = "[OdeModel] public partial class Decay { [State] double x; [Rates] double R() => -x; }";
    const string Growth = "using NodeDsl;\nnamespace Test;\n[OdeModel] public partial class Growth { [State] double x; [Rates] double R() => x; }";

    [Fact]
    public void ModelCopiedIntoASecondFileIsReportedOnceAndOtherModelsKeepTheirCode()
    {
        // What copying or renaming a model looks like mid-way: the same class, attribute and members in two files.
        var copy = "using NodeDsl;\nnamespace Test;\n" + Decay;
        var outcome = GeneratorRunner.Run(compile: false, copy, copy, Growth);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id is "CS8785" or "NODE099");
        var duplicate = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "NODE019");
        Assert.Equal("Model1.cs", duplicate.Location.GetLineSpan().Path);
        Assert.Equal(["Test.Growth.g.cs"], outcome.ModelSources.Select(s => s.HintName));
    }

    [Fact]
    public void SameClassNameInTwoNamespacesGivesTwoFiles()
    {
        var outcome = GeneratorRunner.Run("using NodeDsl;\nnamespace A { " + Decay + " }", "using NodeDsl;\nnamespace B { " + Decay + " }");
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Equal(["A.Decay.g.cs", "B.Decay.g.cs"], outcome.ModelSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NestedModelsAreNamedApartFromNamespacesOfTheSameName()
    {
        // Outer.Decay as a namespace-qualified class and Outer+Decay as a nested class must not share a file name.
        var outcome = GeneratorRunner.Run(
            "using NodeDsl;\nnamespace N.Outer { " + Decay + " }",
            "using NodeDsl;\nnamespace M { public partial class Outer { " + Decay + " } }");
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Equal(["M.Outer+Decay.g.cs", "N.Outer.Decay.g.cs"], outcome.ModelSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }
}
