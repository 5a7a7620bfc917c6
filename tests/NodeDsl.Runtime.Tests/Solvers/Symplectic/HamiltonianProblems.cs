using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Solvers.Symplectic;

/// <summary>Hamiltonian test systems with y = (q, p), their energies and reference solutions.</summary>
internal static class HamiltonianProblems
{
    /// <summary>Harmonic oscillator H = p²/2 + ω² q²/2 with ω = 2 (separable).</summary>
    public const double Omega = 2;

    public static Tensor Oscillator(Tensor t, Tensor y)
        => torch.cat([y.narrow(1, 1, 1), ScalarOps.Mul(y.narrow(1, 0, 1), -Omega * Omega)], 1);

    public static Tensor OscillatorEnergy(Tensor y)
        => ScalarOps.Add(ScalarOps.Mul(y.narrow(1, 1, 1).square(), 0.5), y.narrow(1, 0, 1).square(), 0.5 * Omega * Omega);

    /// <summary>Pendulum H = p²/2 + (1 − cos q) (separable, nonlinear).</summary>
    public static Tensor Pendulum(Tensor t, Tensor y)
        => torch.cat([y.narrow(1, 1, 1), y.narrow(1, 0, 1).sin().neg()], 1);

    /// <summary>Non-separable H = (1 + q²)(1 + p²)/2: q' = p(1 + q²), p' = −q(1 + p²).</summary>
    public static Tensor NonSeparable(Tensor t, Tensor y)
    {
        var q = y.narrow(1, 0, 1);
        var p = y.narrow(1, 1, 1);
        return torch.cat([p.mul(ScalarOps.Add(q.square(), 1)), q.mul(ScalarOps.Add(p.square(), 1)).neg()], 1);
    }

    public static Tensor NonSeparableEnergy(Tensor y)
        => ScalarOps.Mul(ScalarOps.Add(y.narrow(1, 0, 1).square(), 1).mul(ScalarOps.Add(y.narrow(1, 1, 1).square(), 1)), 0.5);

    public static Tensor State(params double[] qp) => torch.tensor(qp, [1, qp.Length], ScalarType.Float64);

    /// <summary>y(t) from a DOP853 solve at rtol 1e-13: far below every error measured against it.</summary>
    public static Tensor Reference(OdeFunc f, Tensor y0, double t)
        => Ode.Solve(f, y0, torch.tensor(new[] { 0.0, t }, ScalarType.Float64), NodeDsl.Runtime.Solvers.Dopri8,
            new SolverOptions { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-15 }).Ys[-1];

    /// <summary>The state after every one of <paramref name="steps"/> fixed steps of size <paramref name="h"/>, <c>[steps + 1, batch, n]</c>.</summary>
    public static Tensor EveryStep(IOdeSolver solver, OdeFunc f, Tensor y0, double h, int steps, SolverOptions? options = null)
        => Ode.Solve(f, y0, torch.linspace(0, h * steps, steps + 1, dtype: ScalarType.Float64), solver,
            (options ?? new SolverOptions()) with { StepSize = h }).Ys;
}
