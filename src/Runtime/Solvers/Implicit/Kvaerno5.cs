namespace NodeDsl.Runtime.Tableaus;

/// <summary>Kværnø's ESDIRK 5 method (stiff, L-stable).</summary>
public static class Kvaerno5
{
    /// <summary>
    /// Kværnø's ESDIRK 5(4): 7 stages, L-stable, stiffly accurate, embedded 4th-order method (stage 6, also with
    /// c = 1). A. Kværnø, "Singly diagonally implicit Runge–Kutta methods with an explicit first stage",
    /// BIT 44 (2004) 489–502. Coefficients as in diffrax <c>_solver/kvaerno5.py</c> and SUNDIALS ARKODE
    /// <c>KVAERNO_7_4_5</c> (identical to all printed digits).
    /// </summary>
    public static DiagonallyImplicitTableau Tableau { get; } = Build();

    static DiagonallyImplicitTableau Build()
    {
        const double g = 0.26;
        double[] row6 = [0.13855640231268224, 0, -0.04245337201752043, 0.02446657898003141, 0.61943039072480676];
        double[] row7 = [0.13659751177640291, 0, -0.05496908796538376, -0.04118626728321046, 0.62993304899016403, 0.06962479448202728];
        double[][] lower =
        [
            [g],
            [0.13, 0.84033320996790809],
            [0.22371961478320505, 0.47675532319799699, -0.06470895363112615],
            [0.16648564323248321, 0.10450018841591720, 0.03631482272098715, -0.13090704451073998],
            row6,
            row7,
        ];
        // Newton start values k_i ≈ Σ α_ij k_j, from OrdinaryDiffEq.jl's Kvaerno5 tableau with α21 = 1 (as diffrax).
        double[][] predictor =
        [
            [1.0],
            [-1.366025403784441, 2.3660254037844357],
            [-0.19650552613122207, 0.8113579546496623, 0.38514757148155954],
            [0.10375304369958693, 0.937994698066431, -0.04174774176601781, 0],
            [-0.17281112873898072, 0.6235784481025847, 0.5492326806363959, 0, 0],
            [.. row6, g],
        ];
        double[] b = [.. row7, g];
        // Embedded solution = stage 6 (b̂ = row 6 of A with γ on its diagonal, 0 for stage 7).
        double[] bHat = [.. row6, g, 0];
        double[] c = [0, 0.52, 1.230333209967908, 0.8957659843500759, 0.43639360985864756, 1.0, 1.0];
        return new DiagonallyImplicitTableau(lower, g, b, b.Zip(bHat, (x, y) => x - y).ToArray(), c, predictor, order: 5, errorOrder: 4);
    }
}
