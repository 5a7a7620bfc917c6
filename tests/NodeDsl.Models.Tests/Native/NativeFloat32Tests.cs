using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// float32, the models' default dtype, on the native path: solutions and the three gradient methods' gradients against the
/// TorchSharp path in float32 and against a float64 reference. The float64 tests (<see cref="NativeSolveTests"/>) check the
/// arithmetic to rounding; these check that every float conversion on the way (state, time, parameters, inputs, cotangents,
/// dense output) keeps float32's precision and that no float32 tensor is read as float64.
/// </summary>
public class NativeFloat32Tests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var s in new[] { "rk4", "dopri5" }) foreach (var g in new[] { "none", "direct", "checkpointed", "backsolve" }) data.Add(nameof(Spiral), s, g);
            data.Add(nameof(ForcedOscillator), "tsit5", "direct");
            data.Add(nameof(ParametrizedGrowth), "bosh3", "backsolve");
            data.Add(nameof(LotkaVolterraUde), "midpoint", "checkpointed");
            return data;
        }
    }

    static GradientMethod? Method(string name) => name switch
    {
        "none" => null,
        "direct" => GradientMethod.Direct,
        "checkpointed" => GradientMethod.Checkpointed(),
        _ => GradientMethod.Backsolve(new AdjointOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-7 }),
    };

    // float32 resolves ~6e-8; rtol 1e-5 keeps the error estimate well above rounding, so the step sequence is the solver's
    // choice and not rounding noise.
    static SolverOptions Options(IOdeSolver solver)
        => solver.IsAdaptive ? new SolverOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-7 } : new SolverOptions { StepSize = 0.05 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32AgreesWithTorchSharpAndTheFloat64Solve(string model, string solverName, string gradient)
    {
        var solver = Solvers.ByName(solverName);
        var y0 = BackendPair.Random(3, BackendPair.Model(model, 3).Layout.StateSize, 0.8, 5, ScalarType.Float64);
        var reference = BackendPair.Run(BackendPair.Model(model, 3), y0, solver, Options(solver), Backend.Torch, Method(gradient));
        var native = BackendPair.Run(BackendPair.Model(model, 3, ScalarType.Float32), y0.to(ScalarType.Float32), solver, Options(solver), Backend.Native, Method(gradient));
        var torch = BackendPair.Run(BackendPair.Model(model, 3, ScalarType.Float32), y0.to(ScalarType.Float32), solver, Options(solver), Backend.Torch, Method(gradient));

        double solutionVsTorch = BackendPair.RelativeError(native.Ys, torch.Ys), solutionVsReference = BackendPair.RelativeError(native.Ys, reference.Ys);
        var (gradientVsTorch, whereTorch) = BackendPair.WorstGradient(native, torch);
        var (gradientVsReference, whereReference) = BackendPair.WorstGradient(native, reference);
        output.WriteLine($"{model}/{solverName}/{gradient}: native {native.Stats}, TorchSharp {torch.Stats}, float64 {reference.Stats}");
        output.WriteLine($"  solution vs TorchSharp float32 {solutionVsTorch:E2}, vs float64 {solutionVsReference:E2}; gradient vs TorchSharp float32 {gradientVsTorch:E2} ({whereTorch}), vs float64 {gradientVsReference:E2} ({whereReference})");

        Assert.True(native.Ys.All(double.IsFinite) && native.Gradients.All(g => g.Values.All(double.IsFinite)), "non-finite float32 result");
        // Both backends' step control sees float32 error norms that differ by rounding only, far from any accept/reject
        // boundary at these tolerances: the same steps (measured: identical in every case).
        Assert.Equal(torch.Stats, native.Stats);
        Assert.True(solutionVsTorch <= SolutionBound, $"solution vs TorchSharp float32: {solutionVsTorch:E2}");
        Assert.True(solutionVsReference <= SolutionBound, $"solution vs float64: {solutionVsReference:E2}");
        Assert.True(gradientVsTorch <= GradientBound, $"gradient of {whereTorch} vs TorchSharp float32: {gradientVsTorch:E2}");
        Assert.True(gradientVsReference <= GradientBound, $"gradient of {whereReference} vs float64: {gradientVsReference:E2}");
    }

    // Measured (2026-11-30): solutions within 2.3e-6 of both references, gradients within 4.3e-5 (Spiral/dopri5 direct and
    // checkpointed, whose cubic field and dense output amplify float32 rounding most; 1.6e-5 even between the two float32
    // backends). The bounds leave 10× margin; a float32 value read as float64 or a conversion that drops precision to
    // half (or corrupts a time or cotangent) misses them by orders of magnitude.
    const double SolutionBound = 2e-5, GradientBound = 4e-4;
}
