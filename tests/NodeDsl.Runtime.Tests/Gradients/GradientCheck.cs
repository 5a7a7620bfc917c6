using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>Runs a gradient method on a <see cref="GradientCase"/> and compares it with finite differences.</summary>
internal static class GradientCheck
{
    /// <summary>RK4 with h = 0.02: a fixed discretisation, so direct and checkpointed gradients are exact for it.</summary>
    public static (IOdeSolver, SolverOptions) Rk4 => (Runtime.Solvers.Rk4, new SolverOptions { StepSize = 0.02 });

    /// <summary>Dopri5 at rtol 1e-10, atol 1e-12: step sizes vary smoothly with the parameters at this tolerance.</summary>
    public static (IOdeSolver, SolverOptions) Dopri5 => (Runtime.Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });

    public static (IOdeSolver, SolverOptions) Solver(string name) => name == "rk4" ? Rk4 : Dopri5;

    /// <summary>∂L/∂x for every checked tensor, by one solve with <paramref name="method"/> and autograd.</summary>
    public static Tensor[] Gradients(GradientCase c, GradientMethod method, IOdeSolver solver, SolverOptions options, Tensor[]? wrt = null)
    {
        wrt ??= c.Checked.Select(x => x.Value).ToArray();
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(c.System, c.Y0, c.Ts, solver, options, method);
        var loss = c.Loss(solution.Ys);
        var grads = autograd.grad([loss], wrt, allow_unused: true);
        return grads.Select((g, i) => (g is null || g.IsInvalid ? zeros_like(wrt[i]) : g.detach()).MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>The loss of the method's own forward solve, without a graph.</summary>
    public static double Loss(GradientCase c, GradientMethod method, IOdeSolver solver, SolverOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return c.Loss(Ode.Solve(c.System, c.Y0, c.Ts, solver, options, method).Ys).item<double>();
    }

    /// <summary>Largest relative error (see <see cref="FiniteDifferences.RelativeError"/>) over every checked tensor, one random direction each.</summary>
    public static (double Error, string Where) MaxError(GradientCase c, GradientMethod method, IOdeSolver solver, SolverOptions options)
    {
        var grads = Gradients(c, method, solver, options);
        double worst = 0;
        string where = "";
        for (int i = 0; i < c.Checked.Length; i++)
        {
            var (name, x) = c.Checked[i];
            for (int d = 0; d < 1; d++)
            {
                using var v = FiniteDifferences.Direction(x, 100 * i + d);
                double fd = FiniteDifferences.Directional(() => Loss(c, method, solver, options), x, v);
                double error = FiniteDifferences.RelativeError(grads[i], v, fd);
                if (error > worst) (worst, where) = (error, $"{name} direction {d}");
            }
        }
        return (worst, where);
    }
}
