using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>Every registered solver can be differentiated by every gradient method (Lotka–Volterra UDE).</summary>
[Collection(nameof(GradientCollection))]
public class EverySolverGradientTests
{
    // Kvaerno3 is left out for time: third order at the tolerances this comparison needs takes ~25 s, most of it in the
    // backsolve, whose augmented system gets a finite-difference Jacobian (its VJP outputs carry no graph). Kvaerno5
    // covers the implicit path.
    public static TheoryData<string> Names() => [.. Runtime.Solvers.Names.Where(n => n != "kvaerno3")];

    [Theory]
    [MemberData(nameof(Names))]
    public void AllMethodsAgreeWithFiniteDifferences(string name)
    {
        var solver = Runtime.Solvers.ByName(name);
        // Fixed steps of 0.01 (Euler's O(h) error does not matter: FD differentiates the same discretisation);
        // adaptive and implicit methods at rtol 1e-9.
        const double rtol = 1e-9;
        var options = solver.IsAdaptive
            ? new SolverOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol * 1e-2 }
            : new SolverOptions { StepSize = 0.01 };
        var c = GradientCase.Create("lv");
        var wrt = c.Checked.Select(x => x.Value).ToArray();
        var direct = GradientCheck.Gradients(c, GradientMethod.Direct, solver, options);

        // One FD along a joint random direction of all checked tensors: direct backprop is exact for the discretisation
        // (implicit methods: up to their Newton tolerance, hence 1e-5 rather than 1e-6).
        var directions = wrt.Select((x, i) => FiniteDifferences.Direction(x, 31 + i)).ToArray();
        double eps = 1e-5, plus, minus;
        using (no_grad())
        {
            for (int i = 0; i < wrt.Length; i++) ScalarOps.AddInPlace(wrt[i], directions[i], eps);
            plus = GradientCheck.Loss(c, GradientMethod.Direct, solver, options);
            for (int i = 0; i < wrt.Length; i++) ScalarOps.AddInPlace(wrt[i], directions[i], -2 * eps);
            minus = GradientCheck.Loss(c, GradientMethod.Direct, solver, options);
            for (int i = 0; i < wrt.Length; i++) ScalarOps.AddInPlace(wrt[i], directions[i], eps);
        }
        double fd = (plus - minus) / (2 * eps);
        double projected = direct.Select((g, i) => g.mul(directions[i]).sum().item<double>()).Sum();
        double norm = Math.Sqrt(direct.Sum(g => g.square().sum().item<double>()));
        Assert.True(Math.Abs(projected - fd) <= 1e-5 * norm, $"{name} direct: {projected} vs FD {fd} (‖g‖ = {norm})");

        // The adjoints approximate the same gradient: checkpointed differs only by segment restarts (adaptive) and
        // backsolve by its backward discretisation (h = 0.01 for fixed-step methods: Euler's O(h) dominates → 1e-2).
        double bound = name == "euler" ? 5e-2 : 1e-4;
        var adjoint = new AdjointOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol * 1e-2 };
        foreach (var method in new[] { GradientMethod.Checkpointed(), GradientMethod.Backsolve(adjoint) })
        {
            var g = GradientCheck.Gradients(c, method, solver, options);
            double difference = BacksolveAdjointTests.RelativeDifference(direct, g);
            Assert.True(difference <= bound, $"{name} {method.Name}: {difference:E2} from direct");
        }
    }
}
