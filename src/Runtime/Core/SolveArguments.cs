using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Checks the arguments of a solve and says how to fix them.</summary>
internal static class SolveArguments
{
    public static void Validate(Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(y0);
        ArgumentNullException.ThrowIfNull(ts);
        if (y0.dim() != 2)
            throw new OdeArgumentException(
                $"y0 must have shape [batch, n] but has shape [{string.Join(", ", y0.shape)}]. " +
                "For a single trajectory use y0.unsqueeze(0).", nameof(y0));
        if (!y0.is_floating_point())
            throw new OdeArgumentException($"y0 must be float32 or float64 but is {y0.dtype}. Convert it with y0.to(float64).", nameof(y0));
        if (ts.dim() != 1 || ts.shape[0] < 2)
            throw new OdeArgumentException(
                $"ts must be a 1-D tensor of at least 2 output times but has shape [{string.Join(", ", ts.shape)}].", nameof(ts));
        if (ts.dtype != y0.dtype)
            throw new OdeArgumentException($"ts has dtype {ts.dtype} but y0 has {y0.dtype}; use ts.to(y0.dtype).", nameof(ts));
        // Device is a reference type without value equality: compare type and index.
        if (ts.device_type != y0.device_type || ts.device_index != y0.device_index)
            throw new OdeArgumentException($"ts is on {ts.device} but y0 is on {y0.device}; move both to one device with .to(device).", nameof(ts));
        long n = y0.shape[1];
        CheckTolerances(options.RelativeTolerances, n, nameof(options.RelativeTolerances));
        CheckTolerances(options.AbsoluteTolerances, n, nameof(options.AbsoluteTolerances));
        if (options.RelativeTolerance < 0 || options.AbsoluteTolerance < 0 || (options.RelativeTolerance == 0 && options.AbsoluteTolerance == 0))
            throw new OdeArgumentException("Tolerances must be non-negative and not both zero.", nameof(options));
        if (options.MaxSteps <= 0)
            throw new OdeArgumentException($"MaxSteps must be positive but is {options.MaxSteps}.", nameof(options));
        if (!solver.IsAdaptive && (options.StepSize is not { } h || !(h > 0) || double.IsInfinity(h)))
            throw new OdeArgumentException(
                $"Fixed-step solver '{solver.Name}' needs SolverOptions.StepSize > 0 (e.g. the spacing of your output times).", nameof(options));
        CheckTimes(ts);
    }

    static void CheckTolerances(double[]? values, long n, string name)
    {
        if (values is null) return;
        if (values.Length != n)
            throw new OdeArgumentException($"{name} has {values.Length} entries but the state has {n} components.", name);
        if (values.Any(v => v < 0 || double.IsNaN(v)))
            throw new OdeArgumentException($"{name} must be non-negative.", name);
    }

    static void CheckTimes(Tensor ts)
    {
        // One host copy of the (small) time grid; solvers read it on the host anyway.
        var times = HostTimes(ts);
        for (int i = 0; i < times.Length; i++)
            if (!double.IsFinite(times[i]))
                throw new OdeArgumentException($"ts[{i}] = {times[i]} is not finite.", nameof(ts));
        int direction = Math.Sign(times[1] - times[0]);
        for (int i = 1; i < times.Length; i++)
            if (Math.Sign(times[i] - times[i - 1]) != direction || direction == 0)
                throw new OdeArgumentException(
                    $"ts must be strictly increasing or strictly decreasing, but ts[{i - 1}] = {times[i - 1]:R} and ts[{i}] = {times[i]:R}. " +
                    "Sort the times and drop duplicates.", nameof(ts));
    }

    /// <summary>Copies the output times to the host as doubles (one device sync).</summary>
    public static double[] HostTimes(Tensor ts)
    {
        using var cpu = ts.detach().to(ScalarType.Float64, CPU);
        return cpu.data<double>().ToArray();
    }
}
