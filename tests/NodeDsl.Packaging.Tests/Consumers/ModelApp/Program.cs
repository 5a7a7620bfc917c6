using System.Globalization;
using ModelApp;
using NodeDsl.Runtime;
using static TorchSharp.torch;

// Solves a model compiled against the NodeDsl package twice: through the generated batched TorchSharp code (Dopri5,
// tight tolerances) and through the model's own C# (ScalarRates, classical RK4), and prints both results.
try
{
    var model = new ForcedOscillator(ModelOptions.Float64(seed: 3));
    Console.WriteLine("parameters: " + string.Join(", ", model.named_parameters().Select(p => p.name)));

    const double T = 2.0;
    using var y0 = tensor(new[] { 1.0, 0.0 }, 1, 2, dtype: float64);
    using var ts = linspace(0, T, 3, dtype: float64);
    var solution = Ode.Solve(model, y0, ts, Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
    var end = solution.Ys[2, 0].contiguous().data<double>().ToArray();

    double[] y = [1.0, 0.0];
    const int steps = 2000;
    const double h = T / steps;
    for (int i = 0; i < steps; i++)
    {
        double t = i * h;
        var k1 = model.ScalarRates(t, y);
        var k2 = model.ScalarRates(t + h / 2, [y[0] + h / 2 * k1[0], y[1] + h / 2 * k1[1]]);
        var k3 = model.ScalarRates(t + h / 2, [y[0] + h / 2 * k2[0], y[1] + h / 2 * k2[1]]);
        var k4 = model.ScalarRates(t + h, [y[0] + h * k3[0], y[1] + h * k3[1]]);
        for (int j = 0; j < 2; j++) y[j] += h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tensor: {end[0]:R} {end[1]:R}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scalar: {y[0]:R} {y[1]:R}"));
    return 0;
}
catch (NativeBackendException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}
