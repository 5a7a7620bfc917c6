using Xunit.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// float32, the default dtype of models, through every registered solver and every gradient method on the TorchSharp path
/// (Lotka–Volterra UDE): each must run, stay in float32 and give the float64 gradient to float32-and-tolerance accuracy.
/// The float64 tests check the mathematics; this one catches float32 tensors read as float64, float64 constants that
/// promote a float32 graph, and implicit solvers' Newton and Jacobian code that assumes float64.
/// </summary>
[Collection(nameof(GradientCollection))]
public class Float32GradientTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => [.. Runtime.Solvers.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryMethodRunsInFloat32AndMatchesFloat64(string name)
    {
        var solver = Runtime.Solvers.ByName(name);
        var options = solver.IsAdaptive
            ? new SolverOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-7 }
            : new SolverOptions { StepSize = 0.02 };
        var adjoint = new AdjointOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-7 };

        // The float64 reference: direct backprop through the same method at the same settings.
        var c64 = GradientCase.Create("lv");
        var reference = GradientCheck.Gradients(c64, GradientMethod.Direct, solver, options);

        foreach (var method in new[] { GradientMethod.Direct, GradientMethod.Checkpointed(), GradientMethod.Backsolve(adjoint) })
        {
            var c32 = Float32(GradientCase.Create("lv"));
            using var scope = NewDisposeScope();
            var solution = Ode.Solve(c32.System, c32.Y0, c32.Ts, solver, options, method);
            Assert.Equal(ScalarType.Float32, solution.Ys.dtype);
            var grads = autograd.grad([c32.Loss(solution.Ys)], c32.Checked.Select(x => x.Value).ToArray(), allow_unused: true);
            for (int i = 0; i < grads.Count; i++) Assert.Equal(ScalarType.Float32, grads[i].dtype);
            var asFloat64 = grads.Select(g => g.detach().to(ScalarType.Float64)).ToArray();
            double difference = BacksolveAdjointTests.RelativeDifference(reference, asFloat64);
            output.WriteLine($"{name} {method.Name}: {difference:E2}");
            // Measured (2026-11-30): direct and checkpointed ≤ 2e-5 (float32 rounding over ≤ 75 steps; the implicit methods'
            // Newton tolerance on top), so 2e-4. Backsolve adds its backward discretisation: ≤ 3.7e-4 for the second-order
            // fixed-step methods at h = 0.02 (leapfrog, midpoint, yoshida4's symmetric error), 1.8e-2 for Euler's O(h), so 4e-3
            // and 5e-2. A dtype slip makes a solve throw or a gradient wrong by O(1).
            double bound = method.Name != "backsolve" ? 2e-4
                : name == "euler" ? 5e-2 : 4e-3;
            Assert.True(difference <= bound, $"{name} {method.Name} float32: {difference:E2} from float64 direct");
        }
    }

    static GradientCase Float32(GradientCase c)
    {
        ((nn.Module)c.System).to(ScalarType.Float32);
        var y0 = c.Y0.detach().to(ScalarType.Float32).requires_grad_(true);
        var checkedTensors = new List<(string, Tensor)> { ("y0", y0) };
        foreach (var (n, p) in ((nn.Module)c.System).named_parameters()) checkedTensors.Add((n, p));
        return new GradientCase(c.Name, c.System, y0, c.Ts.to(ScalarType.Float32), [.. checkedTensors]);
    }
}
