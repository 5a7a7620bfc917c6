using NodeDsl.Generators.Tests.Infrastructure;

namespace NodeDsl.Generators.Tests.Diagnostics;

/// <summary>Diagnostics of a compilation that predicts without libtorch (NodeDsl.Prediction without NodeDsl.Runtime).</summary>
public partial class DiagnosticTests
{
    [Fact]
    public void NODE045_ModelWithoutNativeKernelsInAPredictionOnlyProject()
    {
        var source = MarkedSource.Parse(DiagnosticAssert.Usings + """
            [LagrangianModel] public partial class [|Pendulum|]
            {
                [Coordinate] double q;
                [Velocity(nameof(q))] double qDot;
                [Lagrangian] double L => qDot * qDot / 2 + Cos(q);
            }
            """);
        var outcome = GeneratorRunner.RunForPrediction(source.Text);
        var d = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("NODE045", d.Id);
        Assert.Equal(source.Span, d.Location.SourceSpan);
        Assert.EndsWith("docs/diagnostics/NODE045.md", d.Descriptor.HelpLinkUri, StringComparison.Ordinal);
        DiagnosticAssert.MessageNames(d, "'Pendulum'", "Euler–Lagrange", "reference NodeDsl.Runtime");
        // No other error piles on: the model has no [Neural] methods left without a body, and nothing references TorchSharp.
        Assert.Empty(outcome.CompilationErrors.Where(e => e.Id != "NODE045"));
        // The same model in a runtime compilation is fine.
        Assert.DoesNotContain(GeneratorRunner.Run(compile: false, source.Text).GeneratorDiagnostics, x => x.Id == "NODE045");
    }
}
