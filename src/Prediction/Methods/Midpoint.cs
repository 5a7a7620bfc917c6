namespace NodeDsl.Runtime.Tableaus;

/// <summary>Explicit midpoint rule: second order, two stages, fixed step (Hairer, Nørsett &amp; Wanner I, II.1).</summary>
public static class Midpoint
{
    /// <summary>The tableau.</summary>
    public static ButcherTableau Tableau { get; } = new(c: [0, 0.5], a: [[], [0.5]], b: [0, 1], order: 2);
}
