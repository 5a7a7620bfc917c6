namespace NodeDsl.Runtime;

/// <summary>
/// The registry of ODE solvers: <c>Ode.Solve(f, y0, ts, Solvers.Dopri5)</c> or <c>Solvers.ByName("tsit5")</c>.
/// Fixed-step methods need <c>SolverOptions.StepSize</c>.
/// </summary>
public static class Solvers
{
    /// <summary>Forward Euler, order 1, fixed step.</summary>
    public static IOdeSolver Euler { get; } = Rk("euler", Tableaus.Euler.Tableau);
    /// <summary>Explicit midpoint, order 2, fixed step.</summary>
    public static IOdeSolver Midpoint { get; } = Rk("midpoint", Tableaus.Midpoint.Tableau);
    /// <summary>Heun (explicit trapezoid), order 2, fixed step.</summary>
    public static IOdeSolver Heun { get; } = Rk("heun", Tableaus.Heun.Tableau);
    /// <summary>Classic Runge–Kutta, order 4, fixed step.</summary>
    public static IOdeSolver Rk4 { get; } = Rk("rk4", Tableaus.Rk4.Tableau);
    /// <summary>Kutta's 3/8 rule, order 4, fixed step.</summary>
    public static IOdeSolver Rk38 { get; } = Rk("rk38", Tableaus.Rk38.Tableau);
    /// <summary>Bogacki–Shampine 3(2), adaptive, Hermite dense output.</summary>
    public static IOdeSolver BogackiShampine { get; } = Rk("bosh3", Tableaus.BogackiShampine.Tableau);
    /// <summary>Dormand–Prince 5(4), adaptive, fourth-order dense output. A good default.</summary>
    public static IOdeSolver Dopri5 { get; } = Rk("dopri5", Tableaus.Dopri5.Tableau);
    /// <summary>Tsitouras 5(4), adaptive, own fourth-order dense output; often a little cheaper than Dopri5.</summary>
    public static IOdeSolver Tsit5 { get; } = Rk("tsit5", Tableaus.Tsit5.Tableau);
    /// <summary>Dormand–Prince 8(5,3) (DOP853), adaptive, for tight tolerances; seventh-order dense output.</summary>
    public static IOdeSolver Dopri8 { get; } = new OneStepSolver(new Dop853Method());
    /// <summary>Adams–Bashforth–Moulton 4 (PECE), order 4, fixed step, two evaluations per step; RK4 starts it.</summary>
    public static IOdeSolver AdamsBashforthMoulton { get; } = new OneStepSolver(new AdamsBashforthMoulton());
    /// <summary>Kværnø's ESDIRK 5(4), L-stable, adaptive, batched Newton with autograd Jacobians: for stiff problems.</summary>
    public static IOdeSolver Kvaerno5 { get; } = new OneStepSolver(new Esdirk("kvaerno5", Tableaus.Kvaerno5.Tableau));
    /// <summary>Kværnø's ESDIRK 3(2), L-stable, adaptive, 4 stages: for stiff problems at loose tolerances.</summary>
    public static IOdeSolver Kvaerno3 { get; } = new OneStepSolver(new Esdirk("kvaerno3", Tableaus.Kvaerno3.Tableau));
    /// <summary>
    /// Radau IIA of order 5 (Hairer &amp; Wanner's RADAU5): L-stable, stiffly accurate, collocation dense output, Jacobian and
    /// LU reuse across steps. The reference method for stiff problems, best at moderate to tight tolerances.
    /// </summary>
    public static IOdeSolver Radau5 { get; } = new OneStepSolver(new Radau5());
    /// <summary>
    /// Steinebach's Rodas5P Rosenbrock method, order 5(4), L-stable, own 4th-order dense output: no Newton iteration, one
    /// Jacobian and one LU per step. For stiff problems at loose to moderate tolerances and for non-autonomous stiff systems.
    /// </summary>
    public static IOdeSolver Rodas5P { get; } = new OneStepSolver(new Rosenbrock("rodas5p", Tableaus.Rodas5P.Tableau));
    /// <summary>
    /// Automatic stiffness detection: Dopri5 until its steps are limited by stability rather than accuracy (Hairer's test),
    /// then Radau5 for the rest of the solve; <see cref="SolverStats.Switch"/> says whether and when it switched.
    /// </summary>
    public static IOdeSolver Auto { get; } = new OneStepSolver(new StiffnessSwitching("auto", new ExplicitRungeKutta("dopri5", Tableaus.Dopri5.Tableau), new Radau5()));

    /// <summary>Leapfrog / Störmer–Verlet (kick–drift–kick), order 2, fixed step; symplectic for separable H = T(p) + V(q). Needs y = (q, p).</summary>
    public static IOdeSolver Leapfrog { get; } = new OneStepSolver(new Leapfrog());
    /// <summary>Yoshida's 4th-order triple-jump composition of leapfrog, fixed step; symplectic for separable H. Needs y = (q, p).</summary>
    public static IOdeSolver Yoshida4 { get; } = new OneStepSolver(new CompositionMethod("yoshida4", new Leapfrog(), YoshidaCoefficients.Order4, 4));
    /// <summary>Implicit midpoint rule (Gauss, 1 stage), order 2, fixed step, simplified Newton; symplectic for any H.</summary>
    public static IOdeSolver ImplicitMidpoint { get; } = new OneStepSolver(new ImplicitMidpoint());

    // Registration order is the order names are listed in error messages.
    static readonly IOdeSolver[] All =
    [
        Euler, Midpoint, Heun, Rk4, Rk38, BogackiShampine, Dopri5, Tsit5, Dopri8, AdamsBashforthMoulton, Kvaerno3, Kvaerno5, Radau5, Rodas5P, Auto,
        Leapfrog, Yoshida4, ImplicitMidpoint,
    ];

    /// <summary>Names accepted by <see cref="ByName"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    /// <summary>The solver registered as <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No solver has that name; the message lists the valid ones.</exception>
    public static IOdeSolver ByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"Unknown solver '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }

    static OneStepSolver Rk(string name, ButcherTableau tableau) => new(new ExplicitRungeKutta(name, tableau));
}
