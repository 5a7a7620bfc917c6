using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>Small problems with known solutions, shared by the solver tests.</summary>
internal static class TestProblems
{
    // A damped rotation coupled to a slow decaying mode: eigenvalues −0.5 ± 2i (roughly) and ≈ −0.2.
    static readonly double[] LinearMatrix = [-0.5, 2, 0, -2, -0.5, 0.3, 0, -0.3, -0.2];

    /// <summary>y' = A y (rows of y are states), exact solution y(t) = exp(A t) y0 via torch.linalg.matrix_exp.</summary>
    public static Tensor LinearA(ScalarType dtype = ScalarType.Float64) => torch.tensor(LinearMatrix, [3, 3], dtype);

    public static OdeFunc Linear(ScalarType dtype = ScalarType.Float64)
    {
        var at = LinearA(dtype).t().contiguous();
        return (t, y) => y.matmul(at);
    }

    public static Tensor LinearExact(Tensor y0, double t0, double t)
    {
        var a = LinearA(y0.dtype);
        var propagator = torch.linalg.matrix_exp(a.mul(t - t0));
        return y0.matmul(propagator.t());
    }

    public static Tensor LinearY0(ScalarType dtype = ScalarType.Float64) => torch.tensor(new double[] { 1.0, -0.5, 2.0 }, [1, 3], dtype);

    /// <summary>Harmonic oscillator x'' = −ω² x with ω = 2, state (x, v).</summary>
    public const double Omega = 2;

    public static Tensor Oscillator(Tensor t, Tensor y)
        => torch.stack([y[.., 1], y[.., 0].mul(-Omega * Omega)], 1);

    public static double[] OscillatorExact(double x0, double v0, double t)
        => [x0 * Math.Cos(Omega * t) + v0 / Omega * Math.Sin(Omega * t), -x0 * Omega * Math.Sin(Omega * t) + v0 * Math.Cos(Omega * t)];

    /// <summary>Arenstorf orbit (Hairer, Nørsett &amp; Wanner I, II.0): periodic with period <see cref="ArenstorfPeriod"/>.</summary>
    public const double ArenstorfPeriod = 17.0652165601579625588917206249;

    public static Tensor ArenstorfY0() => torch.tensor(new double[] { 0.994, 0, 0, -2.00158510637908252240537862224 }, [1, 4], ScalarType.Float64);

    public static Tensor Arenstorf(Tensor t, Tensor y)
    {
        const double mu = 0.012277471, mup = 1 - mu;
        var y1 = y[.., 0]; var y2 = y[.., 1]; var v1 = y[.., 2]; var v2 = y[.., 3];
        var d1 = y1.add(mu).square().add(y2.square()).pow(1.5);
        var d2 = y1.sub(mup).square().add(y2.square()).pow(1.5);
        var a1 = y1.add(v2.mul(2)).sub(y1.add(mu).div(d1).mul(mup)).sub(y1.sub(mup).div(d2).mul(mu));
        var a2 = y2.sub(v1.mul(2)).sub(y2.div(d1).mul(mup)).sub(y2.div(d2).mul(mu));
        return torch.stack([v1, v2, a1, a2], 1);
    }

    /// <summary>Lotka–Volterra with α = 1.5, β = 1, γ = 3, δ = 1.</summary>
    public static Tensor LotkaVolterra(Tensor t, Tensor y)
    {
        var x = y[.., 0]; var z = y[.., 1];
        return torch.stack([x.mul(1.5).sub(x.mul(z)), x.mul(z).sub(z.mul(3))], 1);
    }

    public static Tensor Times(params double[] t) => torch.tensor(t, ScalarType.Float64);

    public static double MaxAbs(Tensor a, Tensor b) => a.sub(b).abs().max().item<double>();

    /// <summary>Least-squares slope of log(error) against log(h).</summary>
    public static double Slope(double[] h, double[] error)
    {
        var x = h.Select(v => Math.Log(v)).ToArray();
        var y = error.Select(v => Math.Log(v)).ToArray();
        double mx = x.Average(), my = y.Average();
        return x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / x.Sum(v => (v - mx) * (v - mx));
    }

    /// <summary>Runs an adaptive method's tableau with a constant step (controller disabled), for order measurements.</summary>
    public static IOdeSolver AsFixedStep(IOdeSolver solver) => new OneStepSolver(new FixedStepMethod(((OneStepSolver)solver).Method));

    sealed class FixedStepMethod(OneStepMethod inner) : OneStepMethod
    {
        public override string Name => inner.Name + "-fixed";
        public override int Order => inner.Order;
        public override int? ErrorOrder => null;

        public override StepAttempt Attempt(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, SolveCounters counters)
        {
            var a = inner.Attempt(f, step, y0, f0, counters);
            return new StepAttempt(a.Y1) { F1 = a.F1, Dense = a.Dense };
        }
    }
}
