using NodeDsl.Generators.Tests.Infrastructure;

namespace NodeDsl.Generators.Tests.Snapshots;

/// <summary>Models build warning-free (user projects treat warnings as errors).</summary>
public class UserCodeWarningTests
{
    [Fact]
    public void FieldsTheRatesDoNotReadCauseNoWarnings()
    {
        // Free fall: the rates never read x, t or the input; Vec fields have no initialiser.
        const string source = """
            using NodeDsl;
            namespace Test;
            [OdeModel] public partial class FreeFall
            {
                [State] double x, v;
                [State(Size = 2)] Vec w;
                [Time] double t;
                [Input] double unused;
                [Input(Size = 2)] Vec c;
                [Learnable] double g = 9.81;
                [Rates] (double x, double v, Vec w) Rhs() => (v, -g, -1.0 * w);
            }
            [HamiltonianModel] public partial class Free
            {
                [Coordinate] double q;
                [Momentum] double p;
                [Time] double t;
                [Energy] double H => p * p / 2;
            }
            """;
        var result = GeneratorRunner.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        Assert.Empty(result.CompilationWarnings);
    }
}
