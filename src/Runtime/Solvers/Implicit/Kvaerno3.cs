namespace NodeDsl.Runtime.Tableaus;

/// <summary>Kværnø's ESDIRK 3 method (stiff, L-stable).</summary>
public static class Kvaerno3
{
    /// <summary>
    /// Kværnø's ESDIRK 3(2): 4 stages, L-stable, stiffly accurate, embedded 2nd-order method (stage 3, c = 1).
    /// A. Kværnø, BIT 44 (2004) 489–502; coefficients as closed forms in γ as in diffrax <c>_solver/kvaerno3.py</c>.
    /// </summary>
    public static DiagonallyImplicitTableau Tableau { get; } = Build();

    static DiagonallyImplicitTableau Build()
    {
        const double g = 0.43586652150;
        double a31 = (-4 * g * g + 6 * g - 1) / (4 * g), a32 = (-2 * g + 1) / (4 * g);
        double a41 = (6 * g - 1) / (12 * g), a42 = -1 / ((24 * g - 12) * g), a43 = (-6 * g * g + 6 * g - 1) / (6 * g - 3);
        double theta = 1 / (2 * g);
        double[][] lower = [[g], [a31, a32], [a41, a42, a43]];
        // Start values: linear extrapolation through stages 1–2 for stage 3, stage 3's row for stage 4 (diffrax).
        double[][] predictor = [[1.0], [1 - theta, theta], [a31, a32, g]];
        double[] b = [a41, a42, a43, g];
        double[] bError = [a41 - a31, a42 - a32, a43 - g, g];
        double[] c = [0, 2 * g, 1.0, 1.0];
        return new DiagonallyImplicitTableau(lower, g, b, bError, c, predictor, order: 3, errorOrder: 2);
    }
}
