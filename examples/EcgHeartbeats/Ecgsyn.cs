using NodeDsl;
using static NodeDsl.DslMath;

namespace EcgHeartbeats;

/// <summary>
/// McSharry, Clifford, Tarassenko &amp; Smith (2003), "A dynamical model for generating synthetic electrocardiogram signals"
/// (IEEE TBME 50(3)), eq. (3): a point (x, y) circles the unit limit cycle at angular speed ω = 2π / RR, and the ECG z
/// is pushed up or down by five Gaussian events P, Q, R, S, T at angles θᵢ with amplitudes aᵢ and widths bᵢ, relaxing to
/// the baseline z₀(t) = A sin(2π f₂ t + φ) (respiratory wander).
/// </summary>
/// <remarks>
/// <para>The paper writes the angle difference Δθᵢ = (θ − θᵢ) mod 2π with θ = atan2(y, x). The DSL has no atan2 or
/// modulo, so the model uses the periodic, smooth form of the same event: sin Δθᵢ in place of Δθᵢ and
/// 2(1 − cos Δθᵢ) in place of Δθᵢ², both read off (x, y) directly (cos Δθᵢ = (x cos θᵢ + y sin θᵢ)/r,
/// sin Δθᵢ = (y cos θᵢ − x sin θᵢ)/r). They agree with the paper's terms to O(Δθ³) and O(Δθ⁴) where the Gaussians
/// matter (|Δθ| ≲ 3bᵢ ≤ 1.2), and remove the jump at Δθ = ±π.</para>
/// <para>Every beat's parameters are per-trajectory inputs, so one batched solve draws beats of all five classes.</para>
/// </remarks>
[OdeModel]
public partial class Ecgsyn
{
    /// <summary>Respiratory frequency f₂ of the baseline wander (Hz), the paper's 0.25.</summary>
    public const double RespiratoryHz = 0.25;

    [State] double x = 1.0;
    [State] double y;
    [State] double z;
    [Time] double t;

    /// <summary>Angular speed ω = 2π / RR (rad/s).</summary>
    [Input] double omega;
    /// <summary>Baseline wander amplitude A and phase φ.</summary>
    [Input] double wander;
    [Input] double phase;
    /// <summary>Event angles θᵢ (rad), amplitudes aᵢ and widths bᵢ (rad) of P, Q, R, S, T.</summary>
    [Input(Size = 5)] Vec theta;
    [Input(Size = 5)] Vec a;
    [Input(Size = 5)] Vec b;

    [Rates]
    (double x, double y, double z) Rhs()
    {
        var r = Sqrt(x * x + y * y);
        var alpha = 1.0 - r;
        var cosD = (x * Cos(theta) + y * Sin(theta)) / r;
        var sinD = (y * Cos(theta) - x * Sin(theta)) / r;
        var events = Sum(a * sinD * Exp((cosD - 1.0) / (b * b)));
        var baseline = wander * Sin(2.0 * 3.141592653589793 * RespiratoryHz * t + phase);
        return (alpha * x - omega * y,
                alpha * y + omega * x,
                -events - (z - baseline));
    }
}
