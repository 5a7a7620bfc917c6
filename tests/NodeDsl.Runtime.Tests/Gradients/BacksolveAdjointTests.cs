using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>The backsolve adjoint against finite differences and against direct backprop as its tolerance tightens.</summary>
[Collection(nameof(GradientCollection))]
public class BacksolveAdjointTests
{
    [Theory]
    [MemberData(nameof(DirectGradientTests.Cases), MemberType = typeof(DirectGradientTests))]
    public void MatchesFiniteDifferencesWithinItsTolerance(string caseName, string solverName)
    {
        // The backward solve integrates [y, a, θ̄] again, so the gradient carries its discretisation error:
        // RK4 with h = 0.01 has a global error ~C·h⁴ = C·1e-8 on each segment; dopri5 at rtol 1e-10 has ~1e-9 relative.
        // The bounds leave a factor of ~10–100 over the errors measured here (docs/gradients.md).
        var c = GradientCase.Create(caseName);
        var (solver, options) = GradientCheck.Solver(solverName);
        var (error, where) = GradientCheck.MaxError(c, GradientMethod.Backsolve(), solver, options);
        double bound = solverName == "rk4" ? 1e-5 : 1e-6;
        Assert.True(error <= bound, $"{caseName}/{solverName}: relative error {error:E2} at {where}");
    }

    [Theory]
    [InlineData("lv", false)]
    [InlineData("lv", true)]
    [InlineData("pendulum", false)]
    public void ConvergesToDirectBackpropAsTheToleranceTightens(string caseName, bool seminorm)
    {
        // Forward at rtol 1e-10 (tight, shared by both methods); backward at 1e-4, 1e-6, 1e-8: the error against the
        // direct gradient must fall at each step and end below 1e-5 relative.
        var c = GradientCase.Create(caseName);
        var (solver, options) = GradientCheck.Dopri5;
        var direct = GradientCheck.Gradients(c, GradientMethod.Direct, solver, options);
        var errors = new List<double>();
        foreach (var tol in new[] { 1e-4, 1e-6, 1e-8 })
        {
            var adjoint = new AdjointOptions { RelativeTolerance = tol, AbsoluteTolerance = tol * 1e-2, Seminorm = seminorm };
            var grads = GradientCheck.Gradients(c, GradientMethod.Backsolve(adjoint), solver, options);
            errors.Add(RelativeDifference(direct, grads));
        }
        Assert.True(errors[0] > errors[1] && errors[1] > errors[2] && errors[2] < 1e-5, $"errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
    }

    [Fact]
    public void SeminormTakesNoMoreStepsAndStaysAccurate()
    {
        // Excluding θ̄ from the error norm can only relax step control; the gradient stays close to direct.
        var c = GradientCase.Create("node");
        var (solver, options) = GradientCheck.Dopri5;
        var direct = GradientCheck.Gradients(c, GradientMethod.Direct, solver, options);
        var steps = new int[2];
        for (int k = 0; k < 2; k++)
        {
            using var scope = NewDisposeScope();
            var adjoint = new AdjointOptions { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9, Seminorm = k == 1 };
            var solution = Ode.Solve(c.System, c.Y0, c.Ts, solver, options, GradientMethod.Backsolve(adjoint));
            var wrt = c.Checked.Select(x => x.Value).ToArray();
            var grads = autograd.grad([c.Loss(solution.Ys)], wrt, allow_unused: true).Select(g => g.detach()).ToArray();
            steps[k] = solution.Gradient!.Backward!.AcceptedSteps + solution.Gradient.Backward.RejectedSteps;
            Assert.True(RelativeDifference(direct, grads) < 1e-5);
        }
        Assert.True(steps[1] <= steps[0], $"seminorm steps {steps[1]} > full norm steps {steps[0]}");
    }

    /// <summary>‖Δ‖/‖g‖ over all checked tensors together.</summary>
    internal static double RelativeDifference(Tensor[] reference, Tensor[] other)
    {
        double num = 0, den = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            num += reference[i].sub(other[i]).square().sum().item<double>();
            den += reference[i].square().sum().item<double>();
        }
        return Math.Sqrt(num / den);
    }
}
