using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// The stiff methods' forward solves on the native kernels (rates from the span kernels, the exact Jacobian from n batched
/// VJPs with unit cotangents) against the same methods on the generated TorchSharp code (autograd Jacobians), in float64:
/// the same algorithm with two evaluators must take the same steps, form the same Jacobians and LUs, and agree to rounding.
/// </summary>
public class StiffNativeSolveTests(ITestOutputHelper output)
{
    /// <summary>
    /// Both evaluators compute the same arithmetic (rates and VJPs agree with TorchSharp to ~1e-15, NativeKernelTests), so
    /// the Newton iterates and the solutions differ by rounding carried over ≤ ~100 steps; the bound 1e-12 still
    /// catches a wrong Jacobian entry, stage time or offset (which change the solution by ≥ 1e-8 at these tolerances).
    /// </summary>
    const double Float64Tolerance = 1e-12;

    public static TheoryData<string, string> Cases => new()
    {
        { nameof(StiffVanDerPol), "radau5" }, { nameof(StiffUde), "radau5" },
        { nameof(StiffVanDerPol), "rodas5p" }, { nameof(StiffUde), "rodas5p" },
        { nameof(StiffVanDerPol), "kvaerno5" },
        // Inputs and time (with per-row time offsets): the kernels' Jacobian and stage times must see them as the tensors do.
        { nameof(ParametrizedGrowth), "radau5" }, { nameof(ForcedOscillator), "radau5" },
    };

    static OdeModel Model(string name) => name switch
    {
        nameof(StiffVanDerPol) => new StiffVanDerPol(ModelOptions.Float64(3)),
        nameof(StiffUde) => new StiffUde(ModelOptions.Float64(3)),
        _ => BackendPair.Model(name, 2),
    };

    // Two rows (batched Jacobians and LUs), starting near the slow manifold for Van der Pol and off it for the UDE.
    static Tensor Start(string name) => name switch
    {
        nameof(StiffVanDerPol) => tensor(new[] { 2.0, 0.0, 1.8, -0.5 }, new long[] { 2, 2 }, ScalarType.Float64),
        nameof(StiffUde) => tensor(new[] { 1.0, 0.0, -0.5, 2.0 }, new long[] { 2, 2 }, ScalarType.Float64),
        _ => BackendPair.Random(2, Model(name).Layout.StateSize, 0.8, 5, ScalarType.Float64),
    };

    static (Tensor Ys, SolverStats Stats) Solve(OdeModel model, Tensor y0, string solver, Backend backend, double end = 2)
    {
        using var noGrad = no_grad();
        var ts = tensor(new[] { 0, 0.1 * end, 0.37 * end, end }, ScalarType.Float64);
        var options = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8, Backend = backend };
        var solution = Ode.Solve(model, y0, ts, Solvers.ByName(solver), options);
        return (solution.Ys.detach().clone(), solution.Stats);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameStepsJacobiansAndSolutionAsTorchSharp(string modelName, string solver)
    {
        var model = Model(modelName);
        var y0 = Start(modelName);
        if (modelName == nameof(ForcedOscillator)) model.TimeOffsets = tensor(new[] { 0.0, 0.7 }, new long[] { 2, 1 }, ScalarType.Float64);
        var torch = Solve(model, y0, solver, Backend.Torch);
        var native = Solve(model, y0, solver, Backend.Native);
        double error = BackendPair.RelativeError(native.Ys.data<double>().ToArray(), torch.Ys.data<double>().ToArray());
        output.WriteLine($"{modelName}/{solver}: {torch.Stats}; relative error {error:E2}");
        Assert.True(torch.Stats.AcceptedSteps > 10, $"{modelName}/{solver}: only {torch.Stats.AcceptedSteps} steps, too few to compare step control");
        Assert.Equal(torch.Stats, native.Stats);
        Assert.True(error <= Float64Tolerance, $"{modelName}/{solver}: solution relative error {error:E2}");
    }

    /// <summary>
    /// float32: the kernels evaluate in <c>float</c> and TorchSharp in float32 tensors, so the two evaluators' rates differ in
    /// the last bits and the step sequences may part; both must still solve the problem to the requested tolerance. The
    /// float64 native solve at rtol 1e-10 is the reference (it agrees with TorchSharp to 1e-12, above).
    /// </summary>
    [Theory]
    [InlineData("radau5")]
    [InlineData("rodas5p")]
    [InlineData("kvaerno5")]
    public void Float32SolvesMatchTheFloat64ReferenceWithinTheTolerance(string solver)
    {
        const double rtol = 1e-4, atol = 1e-6;
        var ts = tensor(new[] { 0.0, 0.2, 0.74, 2.0 }, ScalarType.Float32);
        var y0 = tensor(new[] { 2.0f, 0.0f, 1.8f, -0.5f }, new long[] { 2, 2 });
        (Tensor Ys, SolverStats Stats) Run(ScalarType dtype, Backend backend, double relative, double absolute)
        {
            using var noGrad = no_grad();
            var model = new StiffVanDerPol(new ModelOptions { DType = dtype });
            var options = new SolverOptions { RelativeTolerance = relative, AbsoluteTolerance = absolute, Backend = backend };
            var solution = Ode.Solve(model, y0.to(dtype), ts.to(dtype), Solvers.ByName(solver), options);
            return (solution.Ys.detach().to(ScalarType.Float64).clone(), solution.Stats);
        }
        var reference = Run(ScalarType.Float64, Backend.Native, 1e-10, 1e-12).Ys.data<double>().ToArray();
        var native = Run(ScalarType.Float32, Backend.Native, rtol, atol);
        var torch = Run(ScalarType.Float32, Backend.Torch, rtol, atol);
        double nativeError = BackendPair.RelativeError(native.Ys.data<double>().ToArray(), reference);
        double torchError = BackendPair.RelativeError(torch.Ys.data<double>().ToArray(), reference);
        output.WriteLine($"{solver} float32: native {native.Stats}, error {nativeError:E2}; TorchSharp {torch.Stats}, error {torchError:E2}");
        Assert.True(native.Stats.AcceptedSteps > 10, $"{solver}: only {native.Stats.AcceptedSteps} steps");
        // Measured 2.3e-8 (radau5) to 1.8e-7 (rodas5p, kvaerno5) for both backends: on [0, 2] the solution creeps along
        // the slow manifold, so the global error stays far below rtol, near float32 rounding. 1e-5 leaves ≥ 50× margin for
        // another step sequence; a wrong float conversion of the Jacobian, a stage time or the state misses by ≥ 1e-3.
        Assert.True(nativeError <= 1e-5, $"{solver}: native float32 relative error {nativeError:E2}");
        // The native path must be no less accurate than TorchSharp's in the same precision (within a factor for luck of steps).
        Assert.True(nativeError <= System.Math.Max(4 * torchError, 1e-4), $"{solver}: native {nativeError:E2} against TorchSharp {torchError:E2}");
    }

    [Fact]
    public void NativeStiffSolveWithAGraphThrowsAndAutoDifferentiatesOnTorchSharp()
    {
        var model = new StiffUde(ModelOptions.Float64(3));
        var y0 = Start(nameof(StiffUde));
        var ts = tensor(new[] { 0.0, 0.5 }, ScalarType.Float64);
        var native = new SolverOptions { Backend = Backend.Native };
        // The parameters require grad and grad mode is on: the solve builds a graph, which the native stiff path does not.
        var e = Assert.Throws<OdeArgumentException>(() => Ode.Solve(model, y0, ts, Solvers.ByName("radau5"), native));
        Assert.Contains("builds a graph", e.Message);
        var auto = Ode.Solve(model, y0, ts, Solvers.ByName("radau5"), new SolverOptions { Backend = Backend.Auto });
        Assert.True(auto.Ys.requires_grad, "Auto must fall back to TorchSharp, which differentiates through the stiff steps");
    }

    [Fact]
    public void NativeRadauWithTensorAlgebraThrowsWithTheReason()
    {
        var model = new StiffVanDerPol(ModelOptions.Float64(3));
        var solver = new OneStepSolver(new Radau5(hostAlgebra: false));
        using var noGrad = no_grad();
        var e = Assert.Throws<OdeArgumentException>(() => Ode.Solve(model, Start(nameof(StiffVanDerPol)), tensor(new[] { 0.0, 0.5 }, ScalarType.Float64), solver,
            new SolverOptions { Backend = Backend.Native }));
        Assert.Contains("hostAlgebra: false", e.Message);
    }
}
