using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Incrementality (after NetEscapades.EnumGenerators' TestHelpers): a second run on an unchanged compilation reports
/// every tracked step as cached or unchanged, and no step output holds a symbol, syntax node or compilation.
/// </summary>
public class CachingTests
{
    static readonly string[] TrackedSteps =
    [
        OdeModelGenerator.Steps.OdeModels, OdeModelGenerator.Steps.HamiltonianModels, OdeModelGenerator.Steps.LagrangianModels,
        OdeModelGenerator.Steps.Models, OdeModelGenerator.Steps.RejectedModels, OdeModelGenerator.Steps.Diagnostics,
        OdeModelGenerator.Steps.Target, OdeModelGenerator.Steps.PredictionRejections,
    ];

    [Fact]
    public void SecondRunOnAnUnchangedCompilationIsFullyCached()
    {
        var compilation = GeneratorRunner.Compile(Examples.All());
        var driver = GeneratorRunner.CreateDriver(trackSteps: true);
        driver = driver.RunGenerators(compilation);
        var first = driver.GetRunResult();
        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult();

        var firstSteps = Steps(first);
        var secondSteps = Steps(second);
        Assert.Equal(TrackedSteps.Order(), firstSteps.Keys.Order());
        foreach (var (name, runs) in secondSteps)
        {
            foreach (var run in runs)
                Assert.All(run.Outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"step {name} output was {o.Reason} on the second run"));
        }
        foreach (var (name, runs) in firstSteps)
            foreach (var run in runs)
                foreach (var output in run.Outputs)
                    AssertNoCompilationObjects(output.Value, name);
    }

    [Fact]
    public void EditingAnUnrelatedFileLeavesModelsCached()
    {
        var compilation = GeneratorRunner.Compile(Examples.All());
        var driver = GeneratorRunner.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { int x; }", GeneratorRunner.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult();
        foreach (var run in Steps(result)[OdeModelGenerator.Steps.Models])
            Assert.All(run.Outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    static Dictionary<string, IEnumerable<IncrementalGeneratorRunStep>> Steps(GeneratorDriverRunResult result)
        => result.Results[0].TrackedSteps.Where(s => TrackedSteps.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value.AsEnumerable());

    static void AssertNoCompilationObjects(object? value, string step, int depth = 0)
    {
        if (value is null || depth > 30) return;
        Assert.False(value is Compilation or ISymbol or SyntaxNode or SemanticModel, $"step {step} holds a {value.GetType().Name}");
        var type = value.GetType();
        if (type.IsPrimitive || value is string || type.IsEnum) return;
        if (value is IEnumerable items)
        {
            foreach (var item in items) AssertNoCompilationObjects(item, step, depth + 1);
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertNoCompilationObjects(field.GetValue(value), step, depth + 1);
    }
}
