using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Hairer's starting-step heuristic (Hairer, Nørsett &amp; Wanner I, II.4, "Starting step size"; scipy and
/// torchdiffeq <c>select_initial_step</c>): one extra evaluation of f on detached states. The norms are computed
/// under no-grad; the probe evaluation is not, because rates that differentiate internally (Hamiltonian models)
/// need autograd enabled.
/// </summary>
internal static class InitialStepSize
{
    /// <summary>Step magnitudes: one for the batch, or one per row when <paramref name="perTrajectory"/>.</summary>
    /// <exception cref="NonFiniteStateException">y0 or f(t0, y0) is not finite.</exception>
    public static double[] Select(IOdeSystem system, Tensor y0, Tensor f0, double t0, double direction, double span,
        int errorOrder, Tolerances tolerances, double maxStep, SolveCounters counters, bool perTrajectory)
    {
        using var scope = NewDisposeScope();
        var y = y0.detach();
        var f = f0.detach();
        Tensor scale;
        double[] d01;
        using (torch.no_grad())
        {
            scale = tolerances.Scale(y);
            // sync: one host copy of both norms.
            d01 = Host(torch.stack([Rms(y.div(scale), perTrajectory), Rms(f.div(scale), perTrajectory)]));
        }
        int rows = perTrajectory ? (int)y.shape[0] : 1;
        var d0 = d01[..rows];
        var d1 = d01[rows..];
        var bad = Enumerable.Range(0, rows).Where(r => !double.IsFinite(d0[r]) || !double.IsFinite(d1[r])).ToList();
        if (bad.Count > 0) throw new NonFiniteStateException(t0, NonFiniteRows.Of(y, f));

        var h0 = new double[rows];
        for (int r = 0; r < rows; r++)
            h0[r] = Math.Min(d0[r] < 1e-5 || d1[r] < 1e-5 ? 1e-6 : 0.01 * d0[r] / d1[r], span);
        var step = perTrajectory
            ? StepPoint.PerTrajectory(Enumerable.Repeat(t0, rows).ToArray(), h0.Select(h => direction * h).ToArray(), y.dtype, y.device)
            : StepPoint.Shared(t0, direction * h0[0], y.dtype, y.device);
        using (step)
        {
            var y1 = step.AddScaled(y, f, 1.0);
            var f1 = counters.Rates(system, step.Time(1.0), y1).detach();
            double[] d2;
            using (torch.no_grad()) d2 = Host(Rms(f1.sub(f).div(scale), perTrajectory));
            var h = new double[rows];
            for (int r = 0; r < rows; r++)
            {
                double d2r = d2[r] / h0[r], dMax = Math.Max(d1[r], d2r);
                // A non-finite probe means f blows up within h0: start with h0 and let the controller shrink it.
                double h1 = !double.IsFinite(d2r) ? h0[r]
                    : dMax <= 1e-15 ? Math.Max(1e-6, h0[r] * 1e-3)
                    : Math.Pow(0.01 / dMax, 1.0 / (errorOrder + 1));
                h[r] = Math.Min(Math.Min(100 * h0[r], h1), Math.Min(span, maxStep));
            }
            return h;
        }
    }

    static Tensor Rms(Tensor x, bool perTrajectory)
        => (perTrajectory ? ScalarOps.Square(x).mean([1L]) : ScalarOps.Square(x).mean().reshape(1)).sqrt();

    static double[] Host(Tensor x)
    {
        using var cpu = x.to(ScalarType.Float64, CPU);
        return cpu.data<double>().ToArray();
    }
}
