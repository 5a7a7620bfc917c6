using NodeDsl.Runtime.Tests.Gradients;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>
/// The extension test of the runtime (docs/architecture.md, "Runtime"): a method the runtime has never seen, declared only
/// as a <see cref="OneStepMethod"/>, and a solver that declares nothing but <see cref="IOdeSolver"/>, work with every
/// gradient method without edits to the gradient code.
/// </summary>
[Collection(nameof(GradientCollection))]
public class ExtensionTests
{
    /// <summary>Ralston's second-order Runge–Kutta method (Ralston 1962), written against <see cref="OneStepMethod"/> only.</summary>
    sealed class Ralston : OneStepMethod
    {
        public override string Name => "ralston";
        public override int Order => 2;
        public override int? ErrorOrder => null;

        public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
        {
            // k2 = f(t + 2h/3, y + 2h/3·k1); y1 = y + h(k1/4 + 3k2/4).
            var k2 = counters.Rates(f, step.Time(2.0 / 3), step.AddScaled(y0, f0, 2.0 / 3));
            return new StepAttempt(step.AddScaled(step.AddScaled(y0, f0, 0.25), k2, 0.75));
        }
    }

    /// <summary>A solver that only implements <see cref="IOdeSolver"/> (no step loop capability): the gradient methods
    /// fall back to one solve per output interval (backsolve) or per checkpoint segment (checkpointed).</summary>
    sealed class Opaque(IOdeSolver inner) : IOdeSolver
    {
        public string Name => "opaque " + inner.Name;
        public int Order => inner.Order;
        public bool IsAdaptive => inner.IsAdaptive;
        public OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options) => inner.Integrate(system, y0, ts, options);
    }

    public static TheoryData<bool> Wrapped() => [false, true];

    [Theory]
    [MemberData(nameof(Wrapped))]
    public void NewMethodWorksWithEveryGradientMethod(bool opaque)
    {
        IOdeSolver solver = new OneStepSolver(new Ralston());
        if (opaque) solver = new Opaque(solver);
        // Output spacing 0.25 is a multiple of the step, so per-interval and per-segment solves take the same steps.
        var options = new SolverOptions { StepSize = 0.01 };
        var c = GradientCase.Create("lv");
        var direct = GradientCheck.Gradients(c, GradientMethod.Direct, solver, options);

        // Direct backprop differentiates the discretisation exactly: against central differences (ε = 1e-5, truncation
        // and round-off ~1e-10 relative), 1e-6 of the gradient's norm is ample.
        var (x, v) = (c.Checked[0].Value, FiniteDifferences.Direction(c.Checked[0].Value, 5));
        double fd = FiniteDifferences.Directional(() => GradientCheck.Loss(c, GradientMethod.Direct, solver, options), x, v);
        Assert.True(FiniteDifferences.RelativeError(direct[0], v, fd) < 1e-6, $"direct vs FD: {FiniteDifferences.RelativeError(direct[0], v, fd):E2}");

        // Checkpointed recomputes the same discrete solution (replayed steps, or the same steps per segment): equal to
        // direct up to the order of floating-point sums (1e-9 leaves room for the dense-output read at θ ≈ 1 that a
        // segment end replaces).
        var checkpointed = GradientCheck.Gradients(c, GradientMethod.Checkpointed(), solver, options);
        Assert.True(BacksolveAdjointTests.RelativeDifference(direct, checkpointed) < 1e-9,
            $"checkpointed: {BacksolveAdjointTests.RelativeDifference(direct, checkpointed):E2} from direct");

        // Backsolve integrates the adjoint with the same second-order method at h = 0.01: O(h²) from direct, the bound the
        // registered second-order methods meet in EverySolverGradientTests.
        var backsolve = GradientCheck.Gradients(c, GradientMethod.Backsolve(), solver, options);
        Assert.True(BacksolveAdjointTests.RelativeDifference(direct, backsolve) < 1e-4,
            $"backsolve: {BacksolveAdjointTests.RelativeDifference(direct, backsolve):E2} from direct");
    }

    /// <summary>A fixed-step method whose every attempt fails (as a Newton iteration that does not converge would).</summary>
    sealed class AlwaysFails : OneStepMethod
    {
        public override string Name => "always-fails";
        public override int Order => 1;
        public override int? ErrorOrder => null;
        public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
            => new(step.AddScaled(y0, f0, 1.0)) { Failed = true };
    }

    [Fact]
    public void FailedFixedStepIsAnErrorNotAnAcceptedStep()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new[,] { { 1.0 } }, float64);
        var ts = tensor(new[] { 0.0, 1.0 }, float64);
        var error = Assert.Throws<FixedStepFailedException>(() =>
            Ode.Solve((t, y) => y.neg(), y0, ts, new OneStepSolver(new AlwaysFails()), new SolverOptions { StepSize = 0.1 }));
        Assert.Equal(0.1, error.StepSize);
        Assert.Contains("smaller SolverOptions.StepSize", error.Message);
    }
}
