using NodeDsl.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Whether the native kernels can run a solve, and if not, why (the reason completes "Backend is Native but …").</summary>
internal static class NativeEligibility
{
    /// <summary>The solver's native tableau when the solve can run natively; otherwise null and the reason.</summary>
    public static RungeKuttaTableau? Check(IOdeSystem system, Tensor y0, IOdeSolver solver, SolverOptions options, GradientMethod? gradient, out string? reason)
    {
        reason = Reason(system, y0, solver, options, gradient);
        if (reason is not null) return null;
        return NativeMethods.TableauOf(solver, out reason);
    }

    /// <summary>Why the kernels cannot run a solve of <paramref name="system"/> whatever the method, or null (shared with <see cref="StiffNativeSolve"/>).</summary>
    internal static string? Reason(IOdeSystem system, Tensor y0, IOdeSolver solver, SolverOptions options, GradientMethod? gradient)
    {
        if (system is not (OdeModel model and INativeKernels native))
            return $"the system ({system.GetType().Name}) has no native kernels: only generated models built from DSL math and built-in " +
                   "[Neural(...)] perceptrons have them; custom [Neural(typeof(...))] modules, networks inside a Hamiltonian [Energy] and " +
                   "hand-written or wrapped systems run on TorchSharp";
        if (y0.device_type != DeviceType.CPU || model.Device.type != DeviceType.CPU)
            return $"the solve runs on {(y0.device_type != DeviceType.CPU ? y0.device : model.Device)}; native kernels run on the CPU";
        if (y0.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            return $"y0 is {y0.dtype}; native kernels run in float32 or float64";
        if (y0.dtype != model.DType)
            return $"y0 is {y0.dtype} but {model.GetName()}'s parameters are {model.DType}";
        var layout = native.KernelLayout;
        if (y0.shape[1] != layout.StateSize)
            return $"y0 has {y0.shape[1]} components per row but {layout.Model} has {layout.StateSize} states";
        if (layout.InputSize > 0 && (model.Inputs is not { } inputs || !(inputs.shape[0] == 1 || inputs.shape[0] == y0.shape[0]) || inputs.device_type != DeviceType.CPU))
            return $"{layout.Model} needs Inputs of shape [batch, {layout.InputSize}] or [1, {layout.InputSize}] on the CPU";
        if (model.TimeOffsets is { } offsets && !(offsets.shape[0] == 1 || offsets.shape[0] == y0.shape[0]))
            return $"TimeOffsets have {offsets.shape[0]} rows for a batch of {y0.shape[0]}";
        try
        {
            NativeParameters.Check(native, layout.ParameterCount);
        }
        catch (InvalidOperationException e)
        {
            return e.Message.TrimEnd('.');
        }
        if (solver.IsAdaptive && options.Norm == ErrorNorm.PerTrajectory)
            return "ErrorNorm.PerTrajectory has no native version (use ErrorNorm.Batch)";
        if (gradient is { Kind: GradientKind.Other })
            return $"the gradient method '{gradient.Name}' has no native version (native: direct, backsolve, checkpointed)";
        if (gradient?.Adjoint is { Solver: { } backward } && NativeMethods.TableauOf(backward, out var why) is null)
            return $"the backsolve adjoint's backward solver: {why}";
        return null;
    }
}
