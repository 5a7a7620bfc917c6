namespace NodeDsl.Runtime.Tableaus;

/// <summary>
/// Dormand–Prince 5(4) (Dormand &amp; Prince 1980; coefficients as in torchdiffeq dopri5.py and Hairer's DOPRI5):
/// fifth order, seven stages with FSAL, embedded fourth-order error estimate. Dense output is the quartic through
/// <c>y0, y1, f0, f1</c> and Shampine's midpoint value (torchdiffeq <c>DPS_C_MID</c>), fourth order.
/// </summary>
public static class Dopri5
{
    static readonly double[] B = [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0];

    // Shampine (1986): y(t0 + h/2) = y0 + h Σ cMid_j k_j.
    static readonly double[] CMid =
    [
        6025192743.0 / 30085553152 / 2, 0, 51252292925.0 / 65400821598 / 2, -2691868925.0 / 45128329728 / 2,
        187940372067.0 / 1594534317056 / 2, -1776094331.0 / 19743644256 / 2, 11237099.0 / 235043384 / 2,
    ];

    /// <summary>The tableau.</summary>
    public static ButcherTableau Tableau { get; } = new(
        c: [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1],
        a:
        [
            [],
            [1.0 / 5],
            [3.0 / 40, 9.0 / 40],
            [44.0 / 45, -56.0 / 15, 32.0 / 9],
            [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
            [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
            [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
        ],
        b: B,
        order: 5,
        // b − b̂ with b̂ = (5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40).
        errorWeights:
        [
            35.0 / 384 - 1951.0 / 21600, 0, 500.0 / 1113 - 22642.0 / 50085, 125.0 / 192 - 451.0 / 720,
            -2187.0 / 6784 + 12231.0 / 42400, 11.0 / 84 - 649.0 / 6300, -1.0 / 60,
        ],
        errorOrder: 4,
        dense: ButcherTableau.QuarticThroughMidpoint(B, CMid));
}
