using System.Globalization;
using SurrogateLiteConsumer;
using SurrogateLibrary;
using SurrogateLiteLibrary;

// Uses the damped-oscillator surrogate without libtorch (examples/SurrogateLiteLibrary). The first line is printed as
// soon as the first prediction exists (bench/SurrogateColdStart/measure.sh times process start → that line).
// Usage: SurrogateLiteConsumer [--output DIR] [--first-only]; --help lists it.
return LiteCommandLine.Command.Run(args, options =>
{
    var inv = CultureInfo.InvariantCulture;
    var surrogate = new DampedOscillatorNativeSurrogate();
    var times = Enumerable.Range(0, 41).Select(i => 0.125 * i).ToArray();
    var first = surrogate.Predict(0.9, 0.0, 0.2, times);
    Console.WriteLine(string.Create(inv, $"first prediction: x(5) = {first.Position[^1]:R}, v(5) = {first.Velocity[^1]:R}"));
    if (options.FirstOnly) return 0;

    var m = surrogate.Metadata;
    Console.WriteLine($"Surrogate {m.ModelType}: NodeDsl {m.NodeDslVersion}, solver {m.Solver} (step {m.StepSize?.ToString(inv) ?? "adaptive"}), " +
                      $"native kernels in {(surrogate.IsFloat32 ? "float32" : "float64")}, no libtorch");
    Console.WriteLine();
    Console.WriteLine(" zeta    x0    v0   x(5)      v(5)      max |error| vs exact   range");
    Directory.CreateDirectory(options.OutputDirectory);
    var table = new List<string> { "zeta,x0,v0,t,x,v,x_exact,v_exact" };
    foreach (var (zeta, x0, v0) in new[] { (0.1, 0.9, 0.0), (0.3, 0.5, -1.0), (0.45, -0.8, 0.6), (0.8, 0.9, 0.0) })
    {
        var p = surrogate.Predict(x0, v0, zeta, times);
        double error = 0;
        for (int i = 0; i < times.Length; i++)
        {
            var (x, v) = OscillatorPhysics.Exact(x0, v0, zeta, times[i]);
            error = Math.Max(error, Math.Abs(p.Position[i] - x));
            table.Add(string.Create(inv, $"{zeta},{x0},{v0},{times[i]},{p.Position[i]:R},{p.Velocity[i]:R},{x:R},{v:R}"));
        }
        Console.WriteLine(string.Create(inv,
            $"{zeta,5:0.00} {x0,5:0.0} {v0,5:0.0} {p.Position[^1],9:0.0000} {p.Velocity[^1],9:0.0000} {error,12:0.0000}           {(p.RangeViolations.Count == 0 ? "inside" : "OUTSIDE")}"));
    }
    var path = Path.Combine(options.OutputDirectory, "predictions.csv");
    File.WriteAllLines(path, table);
    Console.WriteLine($"Wrote {path}");
    return 0;
});
