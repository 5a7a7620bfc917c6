namespace NodeDsl.Runtime.Tableaus;

/// <summary>Kutta's 3/8 rule: fourth order, four stages, fixed step (Hairer, Nørsett &amp; Wanner I, Table II.1.2).</summary>
public static class Rk38
{
    /// <summary>The tableau.</summary>
    public static ButcherTableau Tableau { get; } = new(
        c: [0, 1.0 / 3, 2.0 / 3, 1],
        a: [[], [1.0 / 3], [-1.0 / 3, 1], [1, -1, 1]],
        b: [1.0 / 8, 3.0 / 8, 3.0 / 8, 1.0 / 8],
        order: 4);
}
