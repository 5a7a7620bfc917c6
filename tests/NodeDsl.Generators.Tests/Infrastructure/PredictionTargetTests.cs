namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>
/// A compilation that references NodeDsl.Prediction and not NodeDsl.Runtime (a library that predicts without libtorch)
/// gets only the native kernels and the prediction part of each model, and they compile without TorchSharp.
/// </summary>
public class PredictionTargetTests
{
    const string Model = """
        using NodeDsl;
        using static NodeDsl.DslMath;
        namespace Test;

        [OdeModel] public partial class Oscillator
        {
            [State] double x, v;
            [State(Size = 2)] Vec h;
            [Augmented(2)] Vec a;
            [Input] double zeta;
            [Input(Size = 2)] Vec c;
            [Learnable] double k = 1.5;
            [Neural(8, Activation = Activation.Tanh)] private partial double Damping(double v, double zeta);
            [Neural(4)] private partial Vec Mix(Vec h);
            [Neural(4)] private partial (double p, double q) Pair(Vec a, double x);
            [Rates] (double x, double v, Vec h, Vec a) Rhs()
            {
                var pq = Pair(a, x);
                return (v, -k * x + Damping(v, zeta) + pq.p, Mix(h) + c, -1.0 * a + pq.q);
            }
        }
        """;

    [Fact]
    public void AnEligibleModelCompilesWithoutTheRuntime()
    {
        var outcome = GeneratorRunner.RunForPrediction(Model);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        // CS0649/CS0169 on the marked fields are silenced by ModelFieldSuppressor in a real build (this harness runs no
        // suppressors; the runtime's own code happens to assign every field); nothing else may warn.
        Assert.Empty(outcome.CompilationWarnings.Where(d => d.Id is not ("CS0649" or "CS0169")));
        Assert.Equal(["Test.Oscillator.Native.g.cs", "Test.Oscillator.Prediction.g.cs"], outcome.Sources.Select(s => s.HintName).Order());
        Assert.All(outcome.Sources, s => Assert.DoesNotContain("TorchSharp", s.Text, StringComparison.Ordinal));
        Assert.All(outcome.Sources, s => Assert.DoesNotContain("NodeDsl.Runtime", s.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void ThePredictionLayoutNamesTheObservedComponentsAndInputsAsTheRuntimeLayoutDoes()
    {
        var text = GeneratorRunner.RunForPrediction(Model).Sources.Single(s => s.HintName.EndsWith(".Prediction.g.cs", StringComparison.Ordinal)).Text;
        // Observed: x, v, h[0], h[1] (the augmented a[0], a[1] follow in the kernels' state, unreported); inputs zeta, c[0], c[1].
        Assert.Contains("""new string[] { "x", "v", "h[0]", "h[1]" },""", text, StringComparison.Ordinal);
        Assert.Contains("""new string[] { "zeta", "c[0]", "c[1]" });""", text, StringComparison.Ordinal);
        // θ: k, then Damping 2→8→1 (8·3 + 1·9 = 33), Mix 2→4→2 (4·3 + 2·5 = 22), Pair 3→4→2 (4·4 + 2·5 = 26): 1 + 33 + 22 + 26 = 82.
        Assert.Contains("if (theta.Length != 82)", text, StringComparison.Ordinal);
        Assert.Contains("this.k = theta[0];", text, StringComparison.Ordinal);
        Assert.Contains("new global::System.ReadOnlySpan<double>(__theta, 1, 33)", text, StringComparison.Ordinal);
        Assert.Contains("new global::System.ReadOnlySpan<double>(__theta, 34, 22)", text, StringComparison.Ordinal);
        Assert.Contains("new global::System.ReadOnlySpan<double>(__theta, 56, 26)", text, StringComparison.Ordinal);
        // The same count as the kernels' layout (the θ they read).
        var native = GeneratorRunner.RunForPrediction(Model).Sources.Single(s => s.HintName.EndsWith(".Native.g.cs", StringComparison.Ordinal)).Text;
        Assert.Contains("\"Pair.layer1.bias\", 80, new int[] { 2 })", native, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRuntimeCompilationGetsTheTorchSharpModelAndNoPredictionPart()
    {
        var outcome = GeneratorRunner.Run(Model);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Equal(["Test.Oscillator.Native.g.cs", "Test.Oscillator.g.cs"], outcome.Sources.Select(s => s.HintName).Order());
    }
}
