using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The native path of the stiff methods (<see cref="IKernelStiffMethod"/>: radau5, rodas5p, kvaerno3/5): a forward solve
/// of an eligible model that builds no graph runs the method's own step loop on <see cref="StiffKernelSystem{T}"/>, so
/// the rates and the exact Jacobian come from the native kernels instead of the model's tensors; adaptive radau5 runs its
/// whole loop on host values (<see cref="StiffRadauLoop"/>, <see cref="HostRadau"/>'s algebra). Solves that need a
/// gradient stay on TorchSharp.
/// </summary>
internal static class StiffNativeSolve
{
    /// <summary>True for the solvers this path decides on (the others go to the explicit native path).</summary>
    public static bool Covers(IOdeSolver solver) => solver is OneStepSolver { Method: IKernelStiffMethod };

    /// <summary>The native solution, or null for the TorchSharp path (<see cref="Backend.Auto"/> on an ineligible solve).</summary>
    /// <exception cref="OdeArgumentException"><see cref="Backend.Native"/> on a solve the kernels cannot run (the message says why).</exception>
    public static OdeSolution? TrySolve(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options, GradientMethod? gradient)
    {
        var reason = Reason(system, y0, ts, solver, options);
        if (reason is not null)
        {
            if (options.Backend == Backend.Native) throw NativeSolve.Ineligible(reason);
            return null;
        }
        var model = (OdeModel)system;
        int rows = (int)y0.shape[0];
        IHostRates kernels = y0.dtype == ScalarType.Float32 ? new StiffKernelSystem<float>(model, rows) : new StiffKernelSystem<double>(model, rows);
        // Adaptive radau5 runs whole on the host (no tensor op per step); the other methods run their own step loop on
        // the kernel system.
        var solution = solver is OneStepSolver { Method: Radau5 radau } && StiffRadauLoop.Covers(radau)
            ? StiffRadauLoop.Run(radau, kernels, y0, ts, options)
            : solver.Integrate(kernels, y0, ts, options);
        return gradient is null ? solution : solution with { Gradient = new GradientReport(gradient.Name) };
    }

    static string? Reason(IOdeSystem system, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        // A solve without a graph needs no gradient method, whatever was passed.
        if (NativeEligibility.Reason(system, y0, solver, options, gradient: null) is { } common) return common;
        if (GradientMethod.NeedsGraph(y0, ts, ((IRatesVjp)system).Parameters))
            return $"the solve builds a graph (a gradient is wanted); '{solver.Name}' differentiates on TorchSharp, its native path runs forward solves only";
        if (((OneStepSolver)solver).Method is IKernelStiffMethod { KernelObstacle: { } obstacle }) return obstacle;
        if (!HostRadau.Fits(y0))
            return $"the batch has {y0.shape[0]} rows of {y0.shape[1]} states; the native stiff path takes up to {HostRadau.MaxStateSize} states and " +
                   $"{HostRadau.MaxJacobianEntries} Jacobian entries (batch·n²), where host linear algebra beats batched libtorch";
        return null;
    }
}
