using NodeDsl.Numerics;
using NodeDsl.Runtime;

namespace NodeDsl.Prediction;

/// <summary>
/// The solvers a prediction without libtorch can run: the explicit Runge–Kutta methods with a native form, under the
/// registry names of the runtime's <c>Solvers.ByName</c> (the same tableaus: they are defined here and used by both).
/// </summary>
public static class NativeSolvers
{
    static readonly (string Name, ButcherTableau Tableau)[] All =
    [
        ("euler", Runtime.Tableaus.Euler.Tableau), ("midpoint", Runtime.Tableaus.Midpoint.Tableau), ("heun", Runtime.Tableaus.Heun.Tableau),
        ("rk4", Runtime.Tableaus.Rk4.Tableau), ("rk38", Runtime.Tableaus.Rk38.Tableau), ("bosh3", Runtime.Tableaus.BogackiShampine.Tableau),
        ("dopri5", Runtime.Tableaus.Dopri5.Tableau), ("tsit5", Runtime.Tableaus.Tsit5.Tableau),
    ];

    /// <summary>Registry names of the solvers with a native form, e.g. <c>rk4</c>, <c>dopri5</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    /// <summary>The tableau of the solver registered as <paramref name="name"/> (case-insensitive), or null when it has no native form.</summary>
    public static RungeKuttaTableau? TableauOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (n, tableau) in All)
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase)) return tableau.Plain();
        return null;
    }
}
