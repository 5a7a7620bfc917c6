using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NodeDsl.Generators.Tests.Infrastructure;

namespace NodeDsl.Generators.Tests.Snapshots;

/// <summary>
/// The native kernels file (NativeKernelEmitter): emitted exactly for the eligible models, snapshot of the spiral's, and
/// free of TorchSharp — it compiles against NodeDsl and NodeDsl.Numerics alone, so it can be emitted into a surrogate that
/// never loads libtorch.
/// </summary>
public class NativeKernelEmitterTests
{
    static readonly Lazy<GeneratorOutcome> outcome = new(() => GeneratorRunner.Run(Examples.All()));

    static readonly string[] Eligible =
        ["Spiral", "LotkaVolterraUde", "ForcedOscillator", "ParametrizedGrowth", "AugmentedSpiral", "KnownPendulum", "ExpressionCoverage", "DrivenWell"];

    static readonly string[] Ineligible = ["ConvField", "CustomPotentialPendulum", "NeuralPendulum", "CoupledOscillators"];

    static string Hint(string model, bool native) => $"NodeDsl.Models.Tests.Models.{model}{(native ? ".Native" : "")}.g.cs";

    [Fact]
    public void SpiralKernelsMatchSnapshot()
    {
        var (_, text) = Assert.Single(outcome.Value.Sources, s => s.HintName == Hint("Spiral", native: true));
        Snapshot.Verify(text, "Spiral");
    }

    [Fact]
    public void EligibleModelsAndOnlyThoseGetKernels()
    {
        var hints = outcome.Value.Sources.Select(s => s.HintName).ToHashSet();
        foreach (var model in Eligible)
        {
            Assert.Contains(Hint(model, native: true), hints);
            Assert.Contains("global::NodeDsl.Runtime.INativeKernels", Source(model), StringComparison.Ordinal);
        }
        foreach (var model in Ineligible)
        {
            Assert.DoesNotContain(Hint(model, native: true), hints);
            Assert.DoesNotContain("INativeKernels", Source(model), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KernelsCompileWithoutTorchSharp()
    {
        // Each eligible model's own source plus its kernels file, against the BCL, NodeDsl and NodeDsl.Numerics only.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(NodeDsl.Vec).Assembly.Location)
            .Append(typeof(NodeDsl.Numerics.KernelLayout).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        var sources = Examples.All();
        foreach (var model in Eligible)
        {
            var native = outcome.Value.Sources.Single(s => s.HintName == Hint(model, native: true)).Text;
            Assert.DoesNotContain("TorchSharp", native, StringComparison.Ordinal);
            Assert.DoesNotContain("NodeDsl.Runtime", native, StringComparison.Ordinal);
            var user = sources.Single(s => s.Contains($"partial class {model}\n", StringComparison.Ordinal) || s.Contains($"partial class {model}\r\n", StringComparison.Ordinal));
            var nativeTree = CSharpSyntaxTree.ParseText(native, GeneratorRunner.ParseOptions, path: "native.g.cs");
            var compilation = CSharpCompilation.Create("Surrogate",
                [CSharpSyntaxTree.ParseText(user, GeneratorRunner.ParseOptions, path: "model.cs"), nativeTree], references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == nativeTree).ToList();
            Assert.True(errors.Count == 0, $"{model}: {string.Join("; ", errors)}");
        }
    }

    static string Source(string model) => outcome.Value.Sources.Single(s => s.HintName == Hint(model, native: false)).Text;
}
