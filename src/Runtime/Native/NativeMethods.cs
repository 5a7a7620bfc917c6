using NodeDsl.Numerics;

namespace NodeDsl.Runtime;

/// <summary>
/// The one place where the native path reads the TorchSharp path's solver data: the Butcher tableau of a solver, its
/// step-size controller and the solve's options, turned into NodeDsl.Numerics' plain types. (Re-point this file when the
/// runtime's solver types move.)
/// </summary>
internal static class NativeMethods
{
    /// <summary>The tableau of <paramref name="solver"/> when it has a native version, else null and the reason.</summary>
    public static RungeKuttaTableau? TableauOf(IOdeSolver solver, out string? reason)
    {
        reason = null;
        if (solver is not OneStepSolver { Method: ExplicitRungeKutta rk })
        {
            reason = $"the solver '{solver.Name}' has no native version (native: explicit Runge–Kutta methods: {string.Join(", ", Native)})";
            return null;
        }
        var tab = rk.Tableau;
        // DOP853's extra dense stages and combined two-estimate norm are not in the native integrator.
        if (rk is Dop853Method || tab.DenseC.Count > 0 || tab.SecondErrorWeights is not null)
        {
            reason = $"the solver '{solver.Name}' has no native version (its dense output needs extra stages and its error norm combines two estimates); native: {string.Join(", ", Native)}";
            return null;
        }
        return new RungeKuttaTableau([.. tab.C], [.. tab.A.Select(r => r.ToArray())], [.. tab.B], tab.ErrorWeights?.ToArray(), tab.ErrorOrder,
            tab.Dense?.Select(r => r.ToArray()).ToArray());
    }

    /// <summary>Registry names of the solvers with a native version.</summary>
    public static IReadOnlyList<string> Native { get; } = ["euler", "midpoint", "heun", "rk4", "rk38", "bosh3", "dopri5", "tsit5"];

    /// <summary>The numerics' settings of <paramref name="options"/>.</summary>
    public static IntegrationSettings Settings(SolverOptions options) => new()
    {
        RelativeTolerance = options.RelativeTolerance,
        AbsoluteTolerance = options.AbsoluteTolerance,
        RelativeTolerances = options.RelativeTolerances,
        AbsoluteTolerances = options.AbsoluteTolerances,
        StepSize = options.StepSize,
        FirstStep = options.FirstStep,
        MaxStep = options.MaxStep,
        MaxSteps = options.MaxSteps,
    };

    /// <summary>The solve's step-size controller (the options' one, or a PI controller from them), with fresh history.</summary>
    public static IStepControl Control(SolverOptions options, RungeKuttaTableau tableau)
        => new Controller(options.StepSizeController ?? PIController.FromOptions(options), tableau.ErrorOrder);

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
