namespace NodeDsl.Runtime.Tableaus;

/// <summary>
/// Bogacki–Shampine 3(2) (Bogacki &amp; Shampine 1989; torchdiffeq bosh3.py): third order, FSAL, embedded second-order
/// error estimate. Its natural dense output is the cubic Hermite interpolant, which the driver builds.
/// </summary>
public static class BogackiShampine
{
    /// <summary>The tableau.</summary>
    public static ButcherTableau Tableau { get; } = new(
        c: [0, 0.5, 0.75, 1],
        a: [[], [0.5], [0, 0.75], [2.0 / 9, 1.0 / 3, 4.0 / 9]],
        b: [2.0 / 9, 1.0 / 3, 4.0 / 9, 0],
        order: 3,
        // b − b̂ with b̂ = (7/24, 1/4, 1/3, 1/8).
        errorWeights: [2.0 / 9 - 7.0 / 24, 1.0 / 3 - 1.0 / 4, 4.0 / 9 - 1.0 / 3, -1.0 / 8],
        errorOrder: 2);
}
