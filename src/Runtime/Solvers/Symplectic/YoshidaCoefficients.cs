namespace NodeDsl.Runtime;

/// <summary>
/// Yoshida's fourth-order triple jump (H. Yoshida, Phys. Lett. A 150 (1990) 262, eq. 4.4; Hairer, Lubich &amp; Wanner,
/// GNI §II.4, eq. 4.4): <c>γ1 = γ3 = 1/(2 − 2^{1/3})</c>, <c>γ2 = −2^{1/3}/(2 − 2^{1/3})</c>. Composed with any symmetric
/// second-order method it gives a symmetric fourth-order method; γ2 &lt; 0 is a step backwards.
/// </summary>
public static class YoshidaCoefficients
{
    static readonly double Cbrt2 = System.Math.Cbrt(2.0);

    /// <summary>The sub-step fractions (γ1, γ2, γ3) of the fourth-order triple jump; they sum to 1 and their cubes to 0.</summary>
    public static IReadOnlyList<double> Order4 { get; } = [1 / (2 - Cbrt2), -Cbrt2 / (2 - Cbrt2), 1 / (2 - Cbrt2)];
}
