using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// The native solve path (the whole solve on the generated kernels) against the TorchSharp path on every oracle model the
/// native path accepts: same steps (accepted, rejected, evaluations), same solution at irregular output times, same
/// gradients for the three gradient methods, in float64.
/// </summary>
public class NativeSolveTests(ITestOutputHelper output)
{
    /// <summary>
    /// Both paths evaluate the same arithmetic (kernels agree with the TorchSharp rates to ~1e-15, NativeKernelTests) and take
    /// the same steps, so the solutions differ by rounding accumulated over ≤ ~100 steps: measured ≤ 1e-14 of the largest
    /// value. 1e-12, the bound, still catches a wrong coefficient, stage or interpolant (errors ≥ 1e-6 here).
    /// </summary>
    const double Float64Tolerance = 1e-12;

    static readonly string[] Models =
    [
        nameof(Spiral), nameof(LotkaVolterraUde), nameof(ForcedOscillator), nameof(ParametrizedGrowth),
        nameof(AugmentedSpiral), nameof(SmoothAugmentedSpiral), nameof(KnownPendulum), nameof(DrivenWell),
    ];

    static readonly string[] SolverNames = ["euler", "midpoint", "heun", "rk4", "rk38", "bosh3", "dopri5", "tsit5"];

    // Every model with a fixed-step and an adaptive method; every native method on the spiral (each test takes well under a
    // second on an idle core, so the matrix stays small).
    public static TheoryData<string, string> ForwardCases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var m in Models) foreach (var s in new[] { "rk4", "dopri5" }) data.Add(m, s);
            foreach (var s in SolverNames.Except(["rk4", "dopri5"])) data.Add(nameof(Spiral), s);
            return data;
        }
    }

    static SolverOptions Options(IOdeSolver solver)
        => solver.IsAdaptive ? new SolverOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 } : new SolverOptions { StepSize = 0.05 };

    // ExpressionCoverage is not here: its kernels differ from libtorch's rounding by up to 6e-7 (NativeKernelTests, which
    // compares them with their own justified bound), and its Sign/Abs/Relu terms and fast growth make a solve amplify that.

    /// <summary>
    /// AugmentedSpiral with dopri5 (measured 2.6e-9): an adaptive solve of this ReLU field turns rounding into differences of
    /// ~1e-9, on one backend as much as across the two (<see cref="AugmentedSpiralDopri5AmplifiesRoundingAtItsReluKinks"/>),
    /// so 1e-12 cannot hold; the solve's rtol (1e-7) bounds it, 5× above the largest 1-ulp response measured (1.8e-8, native).
    /// </summary>
    const double KinkedAdaptiveTolerance = 1e-7;

    static double SolutionTolerance(string model, string solver) => model == nameof(AugmentedSpiral) && solver == "dopri5" ? KinkedAdaptiveTolerance : Float64Tolerance;

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void SameStepsAndSolutionAsTorchSharp(string model, string solverName)
    {
        var solver = Solvers.ByName(solverName);
        var m = BackendPair.Model(model, 3);
        var y0 = BackendPair.Random(3, m.Layout.StateSize, 0.8, 5, ScalarType.Float64);
        var torch = BackendPair.Run(m, y0, solver, Options(solver), Backend.Torch, null);
        var native = BackendPair.Run(m, y0, solver, Options(solver), Backend.Native, null);
        double error = BackendPair.RelativeError(native.Ys, torch.Ys);
        output.WriteLine($"{model}/{solverName}: {torch.Stats.AcceptedSteps} accepted, {torch.Stats.RejectedSteps} rejected, NFE {torch.Stats.FunctionEvaluations}; relative error {error:E2}");
        Assert.Equal(torch.Stats, native.Stats);
        Assert.True(error <= SolutionTolerance(model, solverName), $"{model}/{solverName}: solution relative error {error:E2}");
    }

    /// <summary>
    /// Why AugmentedSpiral/dopri5 differs across backends by 2.6e-9 while rk4 agrees to 3e-16 and the same field with softplus
    /// to 1.7e-14. Both backends' rates differ by rounding only (≤ 1e-15, NativeKernelTests; rk4 shows it on this model),
    /// e.g. libtorch's vectorized fused multiply-add and matmul order vs the kernels' loops. Dopri5's error estimate
    /// h Σ e_j k_j cancels to O(h⁵) only where f is smooth: where a ReLU unit switches inside a step it depends on where the
    /// stages fall relative to the kink, so rounding in the stages moves the error norm far more than its own size (the
    /// backends' first-step norms differ by 2.7e-6 relative, the 6th step's by 1e-3), the PI controller turns that into
    /// different step sizes (3e-5 relative by step 6, same accept/reject pattern) and the solutions differ by the local
    /// errors' change, ~1e-9. Measured on the TorchSharp path alone, y0 moved by one ulp changes the solution by 1.4e-10 to
    /// 6e-9 (native: 4.7e-10 to 1.8e-8), the same size as the difference between the backends; with softplus 7e-16 to 7e-15.
    /// This test keeps that evidence: the ReLU solve responds to a 1-ulp change by more than 1e-11 (so no 1e-12 bound can
    /// hold), the smooth twin by less than 1e-13, and the backends differ by no more than 10× the ReLU solve's own response
    /// (a wrong coefficient, stage or interpolant gives ≥ 1e-6).
    /// </summary>
    [Fact]
    public void AugmentedSpiralDopri5AmplifiesRoundingAtItsReluKinks()
    {
        var solver = Solvers.ByName("dopri5");
        double relu = OneUlpResponse(nameof(AugmentedSpiral), solver), smooth = OneUlpResponse(nameof(SmoothAugmentedSpiral), solver);
        var m = BackendPair.Model(nameof(AugmentedSpiral), 3);
        var y0 = BackendPair.Random(3, m.Layout.StateSize, 0.8, 5, ScalarType.Float64);
        var torch = BackendPair.Run(m, y0, solver, Pi34Options, Backend.Torch, null);
        var native = BackendPair.Run(m, y0, solver, Pi34Options, Backend.Native, null);
        double across = BackendPair.RelativeError(native.Ys, torch.Ys);
        output.WriteLine($"1-ulp response of the TorchSharp solve: ReLU {relu:E2}, softplus {smooth:E2}; native vs TorchSharp (ReLU) {across:E2}");
        Assert.True(relu > 1e-11, $"ReLU: a 1-ulp change of y0 moves the solution by {relu:E2} only; restore Float64Tolerance for AugmentedSpiral/dopri5");
        Assert.True(smooth < 1e-13, $"softplus: a 1-ulp change of y0 moves the solution by {smooth:E2}");
        Assert.True(across <= 10 * relu, $"native vs TorchSharp {across:E2} exceeds 10× the solve's own 1-ulp response {relu:E2}");
    }

    // The step sequence the measurements above were taken on: PI.3.4 from the first step (the default before explicit methods
    // got an I-controller start-up, 2026-11-30). How much rounding a kink amplifies depends on where the steps fall; with
    // the start-up default this solve responds to one ulp by 4.6e-12 (softplus 3.6e-16), still far above its smooth twin.
    static readonly SolverOptions Pi34Options = new() { StepSizeController = new PIController { Tolerance = new ErrorTolerance(1e-7, 1e-9) } };

    // The largest change of the TorchSharp solution when y0 moves by one ulp (every value up, or only the first one).
    double OneUlpResponse(string model, IOdeSolver solver)
    {
        var m = BackendPair.Model(model, 3);
        var y0 = BackendPair.Random(3, m.Layout.StateSize, 0.8, 5, ScalarType.Float64);
        var values = y0.data<double>().ToArray();
        var reference = BackendPair.Run(m, y0, solver, Pi34Options, Backend.Torch, null);
        double worst = 0;
        foreach (var moved in new[] { values.Select(System.Math.BitIncrement), values.Select((v, i) => i == 0 ? System.Math.BitIncrement(v) : v) })
        {
            using var perturbed = tensor(moved.ToArray(), y0.shape, ScalarType.Float64);
            var run = BackendPair.Run(m, perturbed, solver, Pi34Options, Backend.Torch, null);
            Assert.Equal(reference.Stats, run.Stats);
            worst = System.Math.Max(worst, BackendPair.RelativeError(run.Ys, reference.Ys));
        }
        return worst;
    }

    // The three methods on the spiral with a fixed-step, a Hermite-interpolated and a tableau-interpolated method; inputs
    // (ParametrizedGrowth), time dependence (ForcedOscillator) and learnable physics (LotkaVolterraUde) with dopri5.
    public static TheoryData<string, string, string> GradientCases
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            string[] methods = ["direct", "checkpointed", "backsolve"];
            foreach (var s in new[] { "rk4", "bosh3", "dopri5" }) foreach (var g in methods) data.Add(nameof(Spiral), s, g);
            foreach (var m in new[] { nameof(ParametrizedGrowth), nameof(ForcedOscillator), nameof(LotkaVolterraUde) })
                foreach (var g in methods) data.Add(m, "dopri5", g);
            data.Add(nameof(AugmentedSpiral), "rk4", "direct");
            data.Add(nameof(KnownPendulum), "tsit5", "backsolve");
            data.Add(nameof(DrivenWell), "rk4", "checkpointed");
            return data;
        }
    }

    static GradientMethod Method(string name) => name switch
    {
        "direct" => GradientMethod.Direct,
        "checkpointed" => GradientMethod.Checkpointed(),
        _ => GradientMethod.Backsolve(),
    };

    /// <summary>
    /// Direct and checkpointed: both paths differentiate the same discrete solution exactly (autograd through the TorchSharp
    /// steps vs the native reverse sweep), so gradients differ by rounding only. Backsolve: both solve the same augmented
    /// system with the same steps. Measured worst ≤ 1e-13 of the largest entry; the 1e-12 bound.
    /// </summary>
    [Theory]
    [MemberData(nameof(GradientCases))]
    public void SameGradientsAsTorchSharp(string model, string solverName, string gradient)
    {
        var solver = Solvers.ByName(solverName);
        var m = BackendPair.Model(model, 3);
        var y0 = BackendPair.Random(3, m.Layout.StateSize, 0.8, 5, ScalarType.Float64);
        var torch = BackendPair.Run(m, y0, solver, Options(solver), Backend.Torch, Method(gradient));
        var native = BackendPair.Run(m, y0, solver, Options(solver), Backend.Native, Method(gradient));
        var (error, where) = BackendPair.WorstGradient(native, torch);
        output.WriteLine($"{model}/{solverName}/{gradient}: worst gradient relative error {error:E2} ({where}); solution {BackendPair.RelativeError(native.Ys, torch.Ys):E2}");
        Assert.Equal(torch.Stats, native.Stats);
        Assert.True(BackendPair.RelativeError(native.Ys, torch.Ys) <= Float64Tolerance, "solution");
        Assert.True(error <= Float64Tolerance, $"{model}/{solverName}/{gradient}: gradient of {where} relative error {error:E2}");
    }
}
