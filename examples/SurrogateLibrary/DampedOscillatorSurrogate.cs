using NodeDsl.Runtime.Export;

namespace SurrogateLibrary;

/// <summary>
/// The trained damped-oscillator surrogate: <see cref="DampedOscillator"/> with the weights embedded in this assembly
/// (Weights/damped-oscillator.nodew, written by examples/SurrogateExport).
/// </summary>
public sealed class DampedOscillatorSurrogate : Surrogate<DampedOscillator>
{
    /// <summary>Manifest name of the embedded weight file.</summary>
    public const string ResourceName = "SurrogateLibrary.Weights.damped-oscillator.nodew";

    /// <summary>Loads the embedded weights.</summary>
    public DampedOscillatorSurrogate(SurrogateOptions? options = null)
        : base(o => new DampedOscillator(o), ResourceName, options) { }

    /// <summary>Loads the weights from a weight file instead (e.g. a newer export).</summary>
    public DampedOscillatorSurrogate(string weightFile, SurrogateOptions? options = null)
        : base(o => new DampedOscillator(o), new MemoryStream(File.ReadAllBytes(weightFile)), weightFile, options) { }

    /// <summary>Predicts x and v at <paramref name="times"/> from x(times[0]) = <paramref name="x0"/>, v = <paramref name="v0"/> with damping ratio <paramref name="zeta"/>.</summary>
    /// <exception cref="SurrogateRangeException">Under <see cref="RangePolicy.Throw"/>, a value lies outside the trained range.</exception>
    public OscillatorPrediction Predict(double x0, double v0, double zeta, double[] times)
    {
        var p = Predict([x0, v0], [zeta], times);
        return new OscillatorPrediction(times, p["x"], p["v"], p.RangeViolations);
    }
}
