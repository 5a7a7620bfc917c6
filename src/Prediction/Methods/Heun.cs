namespace NodeDsl.Runtime.Tableaus;

/// <summary>Heun's method (explicit trapezoidal rule): second order, two stages, fixed step.</summary>
public static class Heun
{
    /// <summary>The tableau.</summary>
    public static ButcherTableau Tableau { get; } = new(c: [0, 1], a: [[], [1]], b: [0.5, 0.5], order: 2);
}
