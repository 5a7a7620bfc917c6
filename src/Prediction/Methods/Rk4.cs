namespace NodeDsl.Runtime.Tableaus;

/// <summary>The classic fourth-order Runge–Kutta method (Kutta 1901), fixed step.</summary>
public static class Rk4
{
    /// <summary>The tableau.</summary>
    public static ButcherTableau Tableau { get; } = new(
        c: [0, 0.5, 0.5, 1],
        a: [[], [0.5], [0, 0.5], [0, 0, 1]],
        b: [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6],
        order: 4);
}
