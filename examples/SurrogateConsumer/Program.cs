using System.Globalization;
using SurrogateConsumer;

// Uses the damped-oscillator surrogate from examples/SurrogateLibrary without any training code.
// Usage: SurrogateConsumer [--output DIR]; --help lists it (no --quick: nothing is trained).
return ConsumerCommandLine.Command.Run(args, dir =>
{
    var r = ConsumerDemo.Run(dir);
    var m = r.Metadata;
    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine($"Surrogate {m.ModelType}: NodeDsl {m.NodeDslVersion}, created {m.Created:u}, solver {m.Solver} (step {m.StepSize?.ToString(inv) ?? "adaptive"}), trained by {m.GradientMethod} gradients");
    Console.WriteLine("Trained ranges: " + string.Join(", ", m.States.Concat(m.Inputs).Append(m.Time!).Select(v => string.Create(inv, $"{v.Name} in [{v.Min:0.###}, {v.Max:0.###}]"))));
    Console.WriteLine($"Notes: {m.Notes}");
    Console.WriteLine();
    Console.WriteLine(" zeta    x0    v0   x(5)      v(5)      max |error| vs exact   range");
    foreach (var row in r.Rows)
        Console.WriteLine(string.Create(inv, $"{row.Zeta,5:0.00} {row.X0,5:0.0} {row.V0,5:0.0} {row.XEnd,9:0.0000} {row.VEnd,9:0.0000} {row.MaxError,12:0.0000}           {(row.Violations == 0 ? "inside" : "OUTSIDE")}"));
    Console.WriteLine();
    Console.WriteLine($"Range check, policy Warn:  {r.RangeWarning ?? "(no warning)"}");
    Console.WriteLine($"Range check, policy Throw: SurrogateRangeException: {r.RangeError}");
    Console.WriteLine($"Wrote {r.PlotPath}");
    return 0;
});
