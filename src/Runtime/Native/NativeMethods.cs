using NodeDsl.Numerics;

namespace NodeDsl.Runtime;

/// <summary>
/// The one place where the native path reads the TorchSharp path's solver data: the Butcher tableau of a solver, its
/// step-size controller (<see cref="StepControl"/>) and the solve's options, turned into NodeDsl.Numerics' plain types.
/// </summary>
internal static class NativeMethods
{
    /// <summary>The tableau of <paramref name="solver"/> when it has a native version, else null and the reason.</summary>
    public static RungeKuttaTableau? TableauOf(IOdeSolver solver, out string? reason)
    {
        reason = null;
        if (solver is IStepLoopSolver { PlainTableau: { } tableau }) return tableau;
        reason = $"the solver '{solver.Name}' has no native version (native: explicit Runge–Kutta methods with one error estimate and dense output from their stages: {string.Join(", ", NodeDsl.Prediction.NativeSolvers.Names)})";
        return null;
    }

    /// <summary>The numerics' settings of <paramref name="options"/>.</summary>
    public static IntegrationSettings Settings(SolverOptions options)
    {
        // The controller owns tolerances, first step and step limit (StepControl); the options keep the fixed step and MaxSteps.
        var control = StepControl.Adaptive(options);
        var tolerance = control.Tolerance;
        return new()
        {
            RelativeTolerance = tolerance.Relative,
            AbsoluteTolerance = tolerance.Absolute,
            RelativeTolerances = tolerance.RelativePerComponent,
            AbsoluteTolerances = tolerance.AbsolutePerComponent,
            StepSize = options.StepSize,
            FirstStep = control.FirstStep,
            MaxStep = control.MaxStep,
            MaxSteps = options.MaxSteps,
        };
    }

    /// <summary>The solve's step-size controller (the options' one, or a PI controller from them), with fresh history.</summary>
    public static IStepControl Control(SolverOptions options, RungeKuttaTableau tableau)
        => new Controller(StepControl.Adaptive(options), tableau.ErrorOrder);

    /// <summary>The solver exception the TorchSharp path throws for the same failure (same type and message).</summary>
    public static OdeSolverException Translate(IntegrationFailureException e) => e.Kind switch
    {
        IntegrationFailureKind.NonFiniteState => new NonFiniteStateException(e.Time, e.Rows),
        IntegrationFailureKind.StepSizeUnderflow => new StepSizeUnderflowException(e.Time, e.StepSize),
        _ => new MaxStepsExceededException(e.Time, e.MaxSteps, e.EndTime),
    };

    // IStepSizeController with the memory of one trajectory (batch mode: one for the batch).
    sealed class Controller(IStepSizeController controller, int? errorOrder) : IStepControl
    {
        ControllerMemory memory;

        public bool Decide(double stepMagnitude, double errorNorm, out double nextStepMagnitude)
        {
            var decision = controller.Decide(stepMagnitude, errorNorm, errorOrder, ref memory);
            nextStepMagnitude = decision.NextStepMagnitude;
            return decision.Accept;
        }
    }
}
