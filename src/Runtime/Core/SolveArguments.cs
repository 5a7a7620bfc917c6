using TorchSharp;
using static NodeDsl.Runtime.OptionRules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Checks the arguments of a solve, before any work, and says how to fix them.</summary>
internal static class SolveArguments
{
    // StepDriver stretches an adaptive method's last step by up to 1% to land on the end time.
    const double AdaptiveStretch = 1.01;

    public static void Validate(Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(y0);
        ArgumentNullException.ThrowIfNull(ts);
        if (y0.dim() != 2)
            throw new OdeArgumentException(
                $"y0 must have shape [batch, n] but has shape [{string.Join(", ", y0.shape)}]. " +
                "For a single trajectory use y0.unsqueeze(0).", nameof(y0));
        if (y0.shape[0] == 0)
            throw new OdeArgumentException($"y0 has shape [0, {y0.shape[1]}]: no trajectories to solve. Pass at least one initial state (one row).", nameof(y0));
        if (y0.shape[1] == 0)
            throw new OdeArgumentException($"y0 has shape [{y0.shape[0]}, 0]: the state has no components. Pass one column per state component.", nameof(y0));
        if (!y0.is_floating_point())
            throw new OdeArgumentException($"y0 must be float32 or float64 but is {y0.dtype}. Convert it with y0.to(float64).", nameof(y0));
        if (ts.dim() != 1 || ts.shape[0] < 2)
            throw new OdeArgumentException(
                $"ts must be a 1-D tensor of at least 2 output times but has shape [{string.Join(", ", ts.shape)}].", nameof(ts));
        if (ts.dtype != y0.dtype)
            throw new OdeArgumentException($"ts has dtype {ts.dtype} but y0 has {y0.dtype}; use ts.to(y0.dtype).", nameof(ts));
        // Device is a reference type without value equality: compare type and index.
        if (!SameDevice(ts, y0))
            throw new OdeArgumentException($"ts is on {ts.device} but y0 is on {y0.device}; move both to one device with .to(device).", nameof(ts));
        var times = CheckTimes(ts);
        ValidateOptions(solver, options, y0.shape[1], Math.Abs(times[^1] - times[0]));
    }

    /// <summary>
    /// Checks every value of <paramref name="options"/> for <paramref name="solver"/>. Where the state size
    /// (<paramref name="components"/>) or the time span of the output times (<paramref name="span"/>) are not known yet
    /// (e.g. in <c>TrainerOptions</c>), the checks that need them are left to the solve.
    /// </summary>
    /// <exception cref="OdeArgumentException">Names the first invalid option and its allowed values.</exception>
    public static void ValidateOptions(IOdeSolver solver, SolverOptions options, long? components = null, double? span = null)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(options);
        const string typical = "Typical values: rtol 1e-3 (training) to 1e-10 (reference solutions), atol about 1e-3·rtol·|y|.";
        Require(Tolerance(options.RelativeTolerance), "SolverOptions.RelativeTolerance", typical);
        Require(Tolerance(options.AbsoluteTolerance), "SolverOptions.AbsoluteTolerance", typical);
        CheckTolerances(options.RelativeTolerances, components, "SolverOptions.RelativeTolerances");
        CheckTolerances(options.AbsoluteTolerances, components, "SolverOptions.AbsoluteTolerances");
        CheckErrorWeights(options);
        if (options.StepSize is { } h) Require(StepLength(h), "SolverOptions.StepSize");
        if (options.FirstStep is { } first) Require(StepLength(first), "SolverOptions.FirstStep", "Leave it null to let the solver choose the first step.");
        Require(StepBound(options.MaxStep), "SolverOptions.MaxStep");
        Require(Safety(options.Safety), "SolverOptions.Safety");
        Require(ShrinkFactor(options.MinFactor), "SolverOptions.MinFactor");
        Require(GrowthFactor(options.MaxFactor), "SolverOptions.MaxFactor");
        Require(AtLeast(options.MaxSteps, 1), "SolverOptions.MaxSteps");
        if (!Enum.IsDefined(options.Norm))
            throw new OdeArgumentException($"SolverOptions.Norm is {(int)options.Norm}, which is not an ErrorNorm; use ErrorNorm.Batch or ErrorNorm.PerTrajectory.", "SolverOptions.Norm");
        if (!solver.IsAdaptive && options.StepSize is null)
            throw new OdeArgumentException(
                $"Fixed-step solver '{solver.Name}' needs SolverOptions.StepSize > 0 (e.g. the spacing of your output times).", "SolverOptions.StepSize");
        CheckControllerOwnership(solver, options, components);
        if (span is { } s) CheckStepBudget(solver, options, s);
    }

    // A step-size controller owns tolerances, first and max step, safety and factors: the same setting on SolverOptions
    // would be ignored, so it is an error, as is a controller a fixed-step solver would never ask.
    static void CheckControllerOwnership(IOdeSolver solver, SolverOptions options, long? components)
    {
        if (options.StepSizeController is not { } controller) return;
        if (!solver.IsAdaptive)
            throw new OdeArgumentException(
                $"SolverOptions.StepSizeController is set, but '{solver.Name}' is a fixed-step solver, which takes every step of SolverOptions.StepSize " +
                "and never asks a controller. Remove the controller, or use an adaptive solver.", "SolverOptions.StepSizeController");
        var defaults = new SolverOptions();
        string? ignored =
            options.RelativeTolerance != defaults.RelativeTolerance ? "RelativeTolerance"
            : options.AbsoluteTolerance != defaults.AbsoluteTolerance ? "AbsoluteTolerance"
            : options.RelativeTolerances is not null ? "RelativeTolerances"
            : options.AbsoluteTolerances is not null ? "AbsoluteTolerances"
            : options.FirstStep is not null ? "FirstStep"
            : options.MaxStep != defaults.MaxStep ? "MaxStep"
            : options.Safety != defaults.Safety ? "Safety"
            : options.MinFactor != defaults.MinFactor ? "MinFactor"
            : options.MaxFactor != defaults.MaxFactor ? "MaxFactor"
            : null;
        if (ignored is not null)
            throw new OdeArgumentException(
                $"SolverOptions.{ignored} is set, but so is SolverOptions.StepSizeController, which owns step control and would ignore it. " +
                $"Set it on the controller instead (PIController.{(ignored.Contains("Tolerance") ? "Tolerance" : ignored)}) and leave SolverOptions.{ignored} at its default.",
                $"SolverOptions.{ignored}");
        var t = controller.Tolerance;
        const string name = "SolverOptions.StepSizeController.Tolerance";
        Require(Tolerance(t.Relative), $"{name}.Relative");
        Require(Tolerance(t.Absolute), $"{name}.Absolute");
        CheckTolerances(t.RelativePerComponent, components, $"{name}.RelativePerComponent");
        CheckTolerances(t.AbsolutePerComponent, components, $"{name}.AbsolutePerComponent");
        CheckErrorWeights(new SolverOptions
        {
            RelativeTolerance = t.Relative, AbsoluteTolerance = t.Absolute,
            RelativeTolerances = t.RelativePerComponent, AbsoluteTolerances = t.AbsolutePerComponent,
        });
    }

    /// <summary>
    /// Checks the first rates result of a solve, before anything uses it: a dtype, shape or device that differs from the
    /// state's means the rates function mixes tensors it should not, which later ops would turn into a confusing error
    /// (or, for TorchSharp's <c>matmul</c>, an abort of the process).
    /// </summary>
    public static void CheckRates(Tensor? f, Tensor y)
    {
        if (f is null)
            throw new OdeArgumentException("The rates function returned null; return a tensor of the state's shape [batch, n].", "rates");
        if (f.dtype != y.dtype)
            throw new OdeArgumentException(
                $"The rates function returned a {f.dtype} tensor for a {y.dtype} state: some tensor it combines with y has another dtype. " +
                $"Create its constants with dtype: ScalarType.{y.dtype} (or convert them once with .to(y.dtype)). Note that TorchSharp's matmul " +
                "ends the process on mixed dtypes instead of throwing; for 2-D operands mm throws a catchable error.", "rates");
        if (!f.shape.SequenceEqual(y.shape))
            throw new OdeArgumentException(
                $"The rates function returned shape [{string.Join(", ", f.shape)}] for a state of shape [{string.Join(", ", y.shape)}]: " +
                "return one rate per state component and batch row (the state's shape), e.g. with torch.cat([...], 1).", "rates");
        if (!SameDevice(f, y))
            throw new OdeArgumentException(
                $"The rates function returned a tensor on {f.device} for a state on {y.device}: move its constants to the state's device with .to(y.device).", "rates");
    }

    static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    static void CheckTolerances(double[]? values, long? components, string name)
    {
        if (values is null) return;
        if (components is { } n && values.Length != n)
            throw new OdeArgumentException($"{name} has {values.Length} entries but the state has {n} components; give one tolerance per component.", name);
        for (int i = 0; i < values.Length; i++) Require(Tolerance(values[i]), $"{name}[{i}]");
    }

    // A component with rtol = atol = 0 has error weight 0 where y = 0: every step's error norm is ∞ or NaN there, so the
    // controller would shrink the step until it underflows.
    static void CheckErrorWeights(SolverOptions o)
    {
        if (o.RelativeTolerances is { } rs && o.AbsoluteTolerances is { } ats && rs.Length != ats.Length)
            throw new OdeArgumentException(
                $"SolverOptions.RelativeTolerances has {rs.Length} entries but AbsoluteTolerances has {ats.Length}; give both one entry per state component.",
                "SolverOptions.AbsoluteTolerances");
        int n = Math.Max(o.RelativeTolerances?.Length ?? 1, o.AbsoluteTolerances?.Length ?? 1);
        for (int i = 0; i < n; i++)
        {
            double rtol = o.RelativeTolerances is { } r ? r.ElementAtOrDefault(i) : o.RelativeTolerance;
            double atol = o.AbsoluteTolerances is { } a ? a.ElementAtOrDefault(i) : o.AbsoluteTolerance;
            if (rtol == 0 && atol == 0)
                throw new OdeArgumentException(
                    (n == 1 ? "SolverOptions.RelativeTolerance and AbsoluteTolerance are both 0" : $"State component {i} has relative and absolute tolerance 0") +
                    ": its error weight atol + rtol·|y| is 0 where y = 0, so no step could be accepted. Make one of them positive.", "SolverOptions.AbsoluteTolerance");
        }
    }

    // A solve that cannot reach the last output time within MaxSteps fails for certain: say so before the first step
    // instead of after MaxSteps of them (StepSize 1e-12 over [0, 2] ran 100 000 steps, about a minute, before failing).
    static void CheckStepBudget(IOdeSolver solver, SolverOptions options, double span)
    {
        (string option, double value, double longest) = solver.IsAdaptive
            ? ("MaxStep", options.StepSizeController?.MaxStep ?? options.MaxStep, (options.StepSizeController?.MaxStep ?? options.MaxStep) * AdaptiveStretch)
            : ("StepSize", options.StepSize!.Value, options.StepSize!.Value);
        double fewest = span / longest;
        if (fewest > options.MaxSteps * (1 + 1e-9))
            throw new OdeArgumentException(
                $"SolverOptions.{option} = {Show(value)} needs at least {fewest:G3} steps to cover the output times (span {Show(span)}), " +
                $"but SolverOptions.MaxSteps is {options.MaxSteps}. Use a larger {option} or raise MaxSteps.", $"SolverOptions.{option}");
    }

    static double[] CheckTimes(Tensor ts)
    {
        // One host copy of the (small) time grid; solvers read it on the host anyway.
        var times = HostTimes(ts);
        TimeRules.Check(times, nameof(ts));
        return times;
    }

    /// <summary>Copies the output times to the host as doubles (one device sync).</summary>
    public static double[] HostTimes(Tensor ts)
    {
        using var cpu = ts.detach().to(ScalarType.Float64, CPU);
        return cpu.data<double>().ToArray();
    }
}
