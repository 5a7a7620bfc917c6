using System.Globalization;
using SurrogateLibrary;

// Predicts with the damped-oscillator surrogate package (no training code, no generator) and prints the worst
// position error against the closed form over three damping ratios inside the trained range.
using var surrogate = new DampedOscillatorSurrogate();
double[] times = [.. Enumerable.Range(0, 41).Select(i => 0.125 * i)];
double worst = 0;
foreach (var zeta in new[] { 0.1, 0.25, 0.4 })
{
    var p = surrogate.Predict(0.8, 0.0, zeta, times);
    for (int i = 0; i < times.Length; i++)
        worst = Math.Max(worst, Math.Abs(p.Position[i] - OscillatorPhysics.Exact(0.8, 0.0, zeta, times[i]).X));
}
Console.WriteLine($"model: {surrogate.Metadata.ModelType}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst: {worst:R}"));
