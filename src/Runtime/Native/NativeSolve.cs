using NodeDsl.Numerics;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The dispatch of <see cref="Ode.Solve(IOdeSystem, Tensor, Tensor, IOdeSolver, SolverOptions?, GradientMethod)"/> to the
/// native kernels (<see cref="SolverOptions.Backend"/>): runs the solve natively and returns its solution, or returns null
/// so that the TorchSharp path runs.
/// </summary>
internal static class NativeSolve
{
    /// <summary>The native solution, or null for the TorchSharp path; arguments are already validated.</summary>
    /// <param name="gradient">The gradient method, or null for the plain overload (which, like the TorchSharp path, still
    /// differentiates through the solve when a graph is wanted: exactly, as <see cref="GradientMethod.Direct"/>).</param>
    /// <exception cref="OdeArgumentException"><see cref="Backend.Native"/> on a solve the kernels cannot run (the message says why).</exception>
    public static OdeSolution? TrySolve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options, GradientMethod? gradient)
    {
        var backend = options.Backend;
        if (!Enum.IsDefined(backend))
            throw new OdeArgumentException($"SolverOptions.Backend is {(int)backend}, which is not a Backend; use Backend.Auto, Backend.Torch or Backend.Native.", "SolverOptions.Backend");
        if (backend == Backend.Torch) return null;
        if (StiffNativeSolve.Covers(solver)) return StiffNativeSolve.TrySolve(system, y0, ts, solver, options, gradient);
        var tableau = NativeEligibility.Check(system, y0, solver, options, gradient, out var reason);
        if (tableau is null)
        {
            if (backend == Backend.Native) throw Ineligible(reason);
            return null;
        }
        var model = (OdeModel)system;
        int rows = (int)y0.shape[0];
        if (backend == Backend.Auto && !NativeCrossover.PrefersNative(rows, ((INativeKernels)model).KernelLayout)) return null;
        return Run(model, tableau, y0, ts, solver, options, gradient, rows);
    }

    /// <summary>The error for <see cref="Backend.Native"/> on a solve the kernels cannot run; <paramref name="reason"/> completes "… but …".</summary>
    internal static OdeArgumentException Ineligible(string? reason)
        => new($"SolverOptions.Backend is Native but {reason}. Use Backend.Auto (TorchSharp where native cannot run) or Backend.Torch; see docs/backends.md.",
               "SolverOptions.Backend");

    static OdeSolution Run(OdeModel model, RungeKuttaTableau tableau, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options,
                           GradientMethod? gradient, int rows)
    {
        var times = SolveArguments.HostTimes(ts);
        var parameters = ((IRatesVjp)model).Parameters;
        var report = gradient is null ? null : new GradientReport(gradient.Name);
        bool graph = GradientMethod.NeedsGraph(y0, ts, parameters);
        var kind = !graph ? NativeGradient.None : gradient?.Kind switch
        {
            GradientKind.Backsolve => NativeGradient.Backsolve,
            GradientKind.Checkpointed => NativeGradient.Checkpointed,
            _ => NativeGradient.Direct,
        };
        var adjoint = gradient?.Adjoint;
        INativeRun run = y0.dtype == ScalarType.Float32
            ? new NativeRun<float>(model, parameters, tableau, solver, options, times, rows, kind, adjoint, report)
            : new NativeRun<double>(model, parameters, tableau, solver, options, times, rows, kind, adjoint, report);
        if (kind == NativeGradient.None)
        {
            var ys = run.Forward(y0);
            return new OdeSolution(ts, ys, run.ForwardStats!) { Gradient = report };
        }
        var site = new BackwardSite($"native {gradient?.Name ?? "direct"}", 3 + parameters.Count);
        // ∂L/∂ts comes from the output-time nodes around the solve, as for every TorchSharp gradient method.
        var start = ts.requires_grad ? OutputTimeGradients.AnchorInitialState(model, y0, ts, report) : y0;
        var inputs = new List<object> { new NativeSolveFunction.Context(run, site), BackwardGuard.Signal(y0), start };
        inputs.AddRange(parameters);
        var solved = NativeSolveFunction.apply([.. inputs])[0];
        if (ts.requires_grad) solved = OutputTimeGradients.AttachOutputs(model, y0, solved, ts, report);
        return new OdeSolution(ts, solved, run.ForwardStats!) { Gradient = report };
    }
}
