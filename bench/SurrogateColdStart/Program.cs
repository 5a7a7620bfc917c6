using System.Globalization;
using SurrogateLibrary;

// The TorchSharp surrogate's first prediction, printed as examples/SurrogateLiteConsumer --first-only prints the
// libtorch-free one (same weights, case and times), so measure.sh compares cold starts of the two.
using var surrogate = new DampedOscillatorSurrogate();
var times = Enumerable.Range(0, 41).Select(i => 0.125 * i).ToArray();
var first = surrogate.Predict(0.9, 0.0, 0.2, times);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first prediction: x(5) = {first.Position[^1]:R}, v(5) = {first.Velocity[^1]:R}"));
