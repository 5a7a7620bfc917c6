using NodeDsl.Prediction;
using NodeDsl.Runtime.Export;
using SurrogateLibrary;

namespace SurrogateLiteLibrary;

/// <summary>
/// The trained damped-oscillator surrogate without libtorch: <see cref="DampedOscillator"/>'s native kernels (generated in
/// this project, which references NodeDsl.Prediction only) with the weights of examples/SurrogateLibrary embedded.
/// </summary>
public sealed class DampedOscillatorNativeSurrogate : NativeSurrogate<DampedOscillator>
{
    /// <summary>Manifest name of the embedded weight file.</summary>
    public const string ResourceName = "SurrogateLiteLibrary.Weights.damped-oscillator.nodew";

    /// <summary>Loads the embedded weights.</summary>
    public DampedOscillatorNativeSurrogate(RangePolicy rangePolicy = RangePolicy.Warn)
        : base(() => new DampedOscillator(), ResourceName, rangePolicy) { }

    /// <summary>Loads the weights from a weight file instead (e.g. a newer export).</summary>
    public DampedOscillatorNativeSurrogate(string weightFile, RangePolicy rangePolicy = RangePolicy.Warn)
        : base(() => new DampedOscillator(), new MemoryStream(File.ReadAllBytes(weightFile)), weightFile, rangePolicy) { }

    /// <summary>Predicts x and v at <paramref name="times"/> from x(times[0]) = <paramref name="x0"/>, v = <paramref name="v0"/> with damping ratio <paramref name="zeta"/>.</summary>
    /// <exception cref="SurrogateRangeException">Under <see cref="RangePolicy.Throw"/>, a value lies outside the trained range.</exception>
    public OscillatorPrediction Predict(double x0, double v0, double zeta, double[] times)
    {
        var p = Predict([x0, v0], [zeta], times);
        return new OscillatorPrediction(times, p["x"], p["v"], p.RangeViolations);
    }
}
