using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// Every gradient method × float32/float64 × one solver per family (explicit fixed step, explicit adaptive, implicit,
/// symplectic) on a separable Hamiltonian system: each gradient is finite and equals direct backpropagation.
/// </summary>
[Collection(nameof(GradientCollection))]
public class GradientMatrixTests(ITestOutputHelper output)
{
    /// <summary>
    /// A pendulum with learnable stiffness k and mass m, H = p²/(2m) + k(1 − cos q): q' = p/m, p' = −k sin q. Separable, so
    /// leapfrog is symplectic on it; y = (q, p).
    /// </summary>
    sealed class Pendulum(Tensor k, Tensor m) : IOdeSystem
    {
        public Tensor Rates(Tensor t, Tensor y)
            => cat([y.narrow(1, 1, 1).div(m), y.narrow(1, 0, 1).sin().mul(k).neg()], 1);
    }

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var solver in new[] { "rk4", "dopri5", "kvaerno5", "leapfrog" })
            foreach (var dtype in new[] { "float32", "float64" })
                foreach (var method in new[] { "checkpointed", "backsolve" })
                    data.Add(solver, dtype, method);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientIsFiniteAndEqualsDirectBackprop(string solverName, string dtypeName, string methodName)
    {
        var dtype = dtypeName == "float32" ? float32 : float64;
        bool single = dtype == float32;
        var solver = Runtime.Solvers.ByName(solverName);
        // Adaptive: rtol 1e-8 in float64; in float32 1e-5 (tighter than ~10 ulp of the state only buys rejected steps).
        double rtol = single ? 1e-5 : 1e-8;
        var options = solver.IsAdaptive
            ? new SolverOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol * 1e-2 }
            : new SolverOptions { StepSize = 0.02 };
        var direct = Gradients(GradientMethod.Direct, solver, options, dtype);
        var method = methodName == "checkpointed"
            ? GradientMethod.Checkpointed()
            : GradientMethod.Backsolve(new AdjointOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol * 1e-2 });
        var other = Gradients(method, solver, options, dtype);

        Assert.All(other, g => Assert.True(g.isfinite().all().item<bool>(), $"{methodName}: non-finite gradient {g}"));
        double difference = BacksolveAdjointTests.RelativeDifference(direct, other);
        double bound = Bound(methodName, solverName, single);
        output.WriteLine($"{solverName} {dtypeName} {methodName}: ‖Δ‖/‖g‖ = {difference:E2} (bound {bound:E0})");
        Assert.True(difference <= bound, $"{solverName} {dtypeName} {methodName}: ‖Δ‖/‖g‖ = {difference:E2} from direct (bound {bound:E0})");
    }

    /// <summary>
    /// How close each method must come to direct backprop (measured 2026-11-29 in brackets). Checkpointed replays the
    /// forward solve's own steps, so it is the direct gradient up to the order of floating-point sums: 1e-12 in float64
    /// [≤ 2e-16], 1e-5 in float32 (~100 ulp of 1.2e-7) [≤ 1.1e-7]. Backsolve integrates [y, a, θ̄] backwards, so it
    /// differs by its backward discretisation error: RK4 with h = 0.02 by ~C·h⁴ ≈ 1.6e-7·C, adaptive solves by ~10·rtol
    /// (Kvaerno5 adds its Newton tolerance): 1e-6 in float64 [≤ 1.6e-7], and with the rounding of ~100 float32 steps 1e-4
    /// in float32 [≤ 7.1e-6]. Kvaerno5 keeps its Jacobian across steps (JacobianReuse), but a checkpointed replay starts each
    /// segment with a fresh one, so the replayed Newton iterates match the forward ones only to the Newton tolerance, not to
    /// rounding: 1e-9 in float64 [1.8e-11], 1e-4 in float32 [3.1e-5]. Leapfrog's backward solve is RK4 (the augmented system has no q/p split), while direct
    /// differentiates leapfrog's own second-order discretisation: they differ by O(h²) = 4e-4·C, so 5e-4 [9.9e-5].
    /// </summary>
    static double Bound(string method, string solver, bool single) => (method, solver, single) switch
    {
        ("checkpointed", "kvaerno5", false) => 1e-9,
        ("checkpointed", "kvaerno5", true) => 1e-4,
        ("checkpointed", _, false) => 1e-12,
        ("checkpointed", _, true) => 1e-5,
        ("backsolve", "leapfrog", _) => 5e-4,
        ("backsolve", _, false) => 1e-6,
        ("backsolve", _, true) => 1e-4,
        _ => throw new ArgumentException(method),
    };

    /// <summary>∂L/∂(y0, k, m) of L = Σ ys² + Σ W∘ys over 6 output times in [0, 2], computed in <paramref name="dtype"/>, as float64.</summary>
    static Tensor[] Gradients(GradientMethod method, IOdeSolver solver, SolverOptions options, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var k = tensor(2.0, dtype).requires_grad_(true);
        var m = tensor(0.8, dtype).requires_grad_(true);
        var y0 = tensor(new double[,] { { 1.0, 0.0 }, { 0.3, -0.5 } }, dtype).requires_grad_(true);
        var ts = linspace(0, 2, 6, dtype: dtype);
        var weights = linspace(-1, 1, 6 * 2 * 2, dtype: dtype).reshape(6, 2, 2);
        var solution = Ode.Solve(AutogradRatesVjp.For(new Pendulum(k, m), k, m), y0, ts, solver, options, method);
        var loss = solution.Ys.square().sum().add(solution.Ys.mul(weights).sum());
        BackwardPass.Run(loss);
        return new[] { y0, k, m }.Select(x => x.grad!.to(float64).MoveToOuterDisposeScope()).ToArray();
    }
}
