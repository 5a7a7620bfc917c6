namespace EcgHeartbeats;

/// <summary>The parameters of one synthetic beat for <see cref="Ecgsyn"/>: heart rate, wander and the five events.</summary>
/// <param name="RR">Interval to the next R peak (s); the limit cycle's period, ω = 2π / RR.</param>
/// <param name="Wander">Baseline wander amplitude.</param>
/// <param name="Phase">Baseline wander phase (rad).</param>
/// <param name="Theta">Event angles θᵢ of P, Q, R, S, T (rad).</param>
/// <param name="A">Event amplitudes aᵢ.</param>
/// <param name="B">Event widths bᵢ (rad).</param>
public sealed record BeatParameters(double RR, double Wander, double Phase, double[] Theta, double[] A, double[] B)
{
    /// <summary>McSharry et al. (2003), Table 1: P, Q, R, S, T at −π/3, −π/12, 0, π/12, π/2.</summary>
    public static double[] PaperTheta => [-Math.PI / 3, -Math.PI / 12, 0, Math.PI / 12, Math.PI / 2];
    /// <summary>Table 1 amplitudes: 1.2, −5, 30, −7.5, 0.75.</summary>
    public static double[] PaperA => [1.2, -5.0, 30.0, -7.5, 0.75];
    /// <summary>Table 1 widths: 0.25, 0.1, 0.1, 0.1, 0.4.</summary>
    public static double[] PaperB => [0.25, 0.1, 0.1, 0.1, 0.4];

    /// <summary>The paper's normal beat at <paramref name="rr"/> seconds, without wander.</summary>
    public static BeatParameters Paper(double rr) => new(rr, 0, 0, PaperTheta, PaperA, PaperB);
}

/// <summary>
/// Draws beat parameters for the five AAMI classes of the MIT-BIH heartbeat set. Each class changes the paper's normal
/// beat the way its physiology changes the ECG; every beat also gets its own heart rate, ±10 % jitter of every event and
/// baseline wander, so classes overlap the way real beats do.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>N</b> normal: the paper's beat, RR 0.7–1.1 s.</item>
/// <item><b>S</b> supraventricular (atrial) premature: an ectopic P wave (earlier, flattened or inverted), a normal narrow
/// QRS, and a short cycle (RR 0.45–0.7 s).</item>
/// <item><b>V</b> premature ventricular: no P wave, a QRS 2.5–3.5 times wider, a T wave opposite to the QRS, and a
/// compensatory pause (RR 1.1–1.5 s).</item>
/// <item><b>F</b> fusion of ventricular and normal: in between — a small P, a QRS 1.5–2 times wider, a flat T.</item>
/// <item><b>Q</b> unclassifiable (in MIT-BIH mostly paced beats): a sharp pacing spike just before a wide QRS, no P,
/// a regular paced rate (RR 0.75–0.9 s).</item>
/// </list>
/// </remarks>
public static class BeatClasses
{
    /// <summary>Class names by label, as in the MIT-BIH heartbeat CSV.</summary>
    public static IReadOnlyList<string> Names { get; } = ["N", "S", "V", "F", "Q"];

    /// <summary>Parameters of one beat of class <paramref name="label"/> (0–4).</summary>
    public static BeatParameters Draw(int label, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        var theta = BeatParameters.PaperTheta;
        var a = BeatParameters.PaperA;
        var b = BeatParameters.PaperB;
        double rr;
        const int P = 0, T = 4;   // Q, R, S (1–3) change together in WidenQrs
        switch (label)
        {
            case 0:
                rr = U(0.7, 1.1);
                break;
            case 1:
                rr = U(0.45, 0.7);
                theta[P] = U(-1.7, -1.3);
                a[P] *= U(-0.6, 0.4);
                break;
            case 2:
                rr = U(1.1, 1.5);
                a[P] = 0;
                double wide = U(2.5, 3.5);
                WidenQrs(a, b, wide, U(1.0, 1.5));
                a[T] = -U(1.5, 3.0);
                b[T] = U(0.4, 0.6);
                break;
            case 3:
                rr = U(0.7, 1.0);
                a[P] *= U(0.2, 0.6);
                WidenQrs(a, b, U(1.5, 2.0), U(0.9, 1.2));
                a[T] *= U(-0.3, 0.4);
                break;
            case 4:
                rr = U(0.75, 0.9);
                // The P slot carries the pacing spike: 30 ms before R at 60 bpm, narrow and tall.
                theta[P] = U(-0.45, -0.35);
                a[P] = U(150, 250);
                b[P] = 0.025;
                WidenQrs(a, b, U(2.0, 3.0), U(0.8, 1.2));
                a[T] = -U(1.0, 2.0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(label), label, $"Labels are 0–4 ({string.Join(", ", Names)}).");
        }
        // ±10 % jitter of every amplitude and width, ±0.03 rad of every angle.
        for (int i = 0; i < 5; i++)
        {
            a[i] *= U(0.9, 1.1);
            b[i] *= U(0.9, 1.1);
            theta[i] += U(-0.03, 0.03);
        }
        return new BeatParameters(rr, U(0, 0.01), U(0, 2 * Math.PI), theta, a, b);
    }

    /// <summary>
    /// Widens Q, R and S by <paramref name="factor"/>. An event's deflection is ≈ aᵢbᵢ²/ω (the Gaussian integrated over θ), so
    /// the amplitudes are divided by factor² to keep its height, then scaled by <paramref name="height"/>.
    /// </summary>
    static void WidenQrs(double[] a, double[] b, double factor, double height)
    {
        for (int i = 1; i <= 3; i++)
        {
            b[i] *= factor;
            a[i] *= height / (factor * factor);
        }
    }
}
