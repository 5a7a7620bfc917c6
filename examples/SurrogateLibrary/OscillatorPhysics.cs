namespace SurrogateLibrary;

/// <summary>The closed-form solution of the under-damped oscillator, the reference the surrogate is checked against.</summary>
public static class OscillatorPhysics
{
    /// <summary>
    /// x(t) and v(t) of x'' + 2ζω x' + ω² x = 0 for 0 ≤ ζ &lt; 1 from x(0) = x0, v(0) = v0:
    /// x = e^{−ζωt}(x0 cos ω_d t + (v0 + ζω x0)/ω_d sin ω_d t), ω_d = ω√(1 − ζ²).
    /// </summary>
    public static (double X, double V) Exact(double x0, double v0, double zeta, double t, double omega = DampedOscillator.Omega)
    {
        if (!(zeta >= 0 && zeta < 1)) throw new ArgumentOutOfRangeException(nameof(zeta), zeta, "The closed form covers the under-damped case 0 ≤ ζ < 1.");
        double wd = omega * Math.Sqrt(1 - zeta * zeta), decay = Math.Exp(-zeta * omega * t);
        double a = x0, b = (v0 + zeta * omega * x0) / wd;
        double c = Math.Cos(wd * t), s = Math.Sin(wd * t);
        double x = decay * (a * c + b * s);
        double v = decay * ((b * wd - zeta * omega * a) * c - (a * wd + zeta * omega * b) * s);
        return (x, v);
    }
}
