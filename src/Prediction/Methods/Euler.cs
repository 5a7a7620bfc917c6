namespace NodeDsl.Runtime.Tableaus;

/// <summary>Explicit (forward) Euler: first order, one stage, fixed step.</summary>
public static class Euler
{
    /// <summary>The tableau.</summary>
    public static ButcherTableau Tableau { get; } = new(c: [0], a: [[]], b: [1], order: 1);
}
