using NodeDsl.Models.Tests.Gradients;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// One solve problem on an oracle model, run once on each backend from identical parameters, state and inputs: the
/// solution, the statistics and (for a gradient method) the gradients of a fixed loss with respect to y0, every parameter
/// and the inputs.
/// </summary>
internal static class BackendPair
{
    /// <summary>Irregular output times (a sliver interval among longer ones) on [0, 1].</summary>
    public static readonly double[] Times = [0, 0.13, 0.4, 0.41, 0.9, 1.0];

    public sealed record Result(double[] Ys, SolverStats Stats, List<(string Name, double[] Values)> Gradients);

    /// <summary>The model's float64 instance with inputs for <paramref name="batch"/> rows (when it has [Input] fields).</summary>
    public static OdeModel Model(string name, int batch, ScalarType dtype = ScalarType.Float64)
    {
        var model = GeneratedVjpTests.Create(name, 3);
        if (dtype != ScalarType.Float64) model.to(dtype);
        if (model.Layout.InputSize > 0)
            model.Inputs = Random(batch, model.Layout.InputSize, 0.5, 17, dtype);
        return model;
    }

    public static Tensor Random(int rows, int columns, double scale, int seed, ScalarType dtype)
    {
        var rng = new Random(seed);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = scale * (2 * rng.NextDouble() - 1);
        return tensor(values, new long[] { rows, columns }, ScalarType.Float64).to(dtype);
    }

    /// <summary>Solves on <paramref name="backend"/>; with a gradient method, also backpropagates L = Σ W∘ys + 0.05 Σ ys².</summary>
    public static Result Run(OdeModel model, Tensor y0Values, IOdeSolver solver, SolverOptions options, Backend backend, GradientMethod? gradient, double horizon = 1)
    {
        using var scope = NewDisposeScope();
        var dtype = y0Values.dtype;
        var y0 = y0Values.detach().clone().requires_grad_(gradient is not null);
        var ts = tensor(Times.Select(t => t * horizon).ToArray(), dtype);
        options = options with { Backend = backend };
        model.zero_grad();
        var original = model.Inputs;
        if (original is not null) model.Inputs = original.detach().clone().requires_grad_(gradient is not null);
        try
        {
            return Solve(model, y0, ts, solver, options, gradient);
        }
        finally
        {
            model.Inputs = original;
        }
    }

    static Result Solve(OdeModel model, Tensor y0, Tensor ts, IOdeSolver solver, SolverOptions options, GradientMethod? gradient)
    {
        var dtype = y0.dtype;
        var solution = gradient is null ? Ode.Solve(model, y0, ts, solver, options) : Ode.Solve(model, y0, ts, solver, options, gradient);
        var ys = Values(solution.Ys);
        var grads = new List<(string, double[])>();
        if (gradient is not null)
        {
            var weights = Random(Times.Length, (int)(y0.shape[0] * y0.shape[1]), 1.0, 23, dtype).reshape(solution.Ys.shape);
            var loss = solution.Ys.mul(weights).sum().add(solution.Ys.square().sum().mul(0.05));
            loss.backward();
            grads.Add(("y0", Values(y0.grad!)));
            foreach (var (name, p) in model.named_parameters())
                grads.Add((name, p.grad is { } g ? Values(g) : new double[p.numel()]));
            if (model.Inputs is { } i) grads.Add(("inputs", Values(i.grad!)));
        }
        return new Result(ys, solution.Stats, grads);
    }

    static double[] Values(Tensor x) => x.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    /// <summary>max |a − b| / max |b| (absolute when b is all zeros).</summary>
    public static double RelativeError(double[] actual, double[] expected)
    {
        double scale = 0, diff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = System.Math.Max(scale, System.Math.Abs(expected[i]));
            double d = System.Math.Abs(actual[i] - expected[i]);
            diff = double.IsNaN(d) ? double.PositiveInfinity : System.Math.Max(diff, d);
        }
        return scale == 0 ? diff : diff / scale;
    }

    /// <summary>The worst relative error over all gradients and its name.</summary>
    public static (double Error, string Where) WorstGradient(Result actual, Result expected)
    {
        var worst = (0.0, "");
        for (int i = 0; i < expected.Gradients.Count; i++)
        {
            double e = RelativeError(actual.Gradients[i].Values, expected.Gradients[i].Values);
            if (e > worst.Item1 || double.IsNaN(e)) worst = (e, expected.Gradients[i].Name);
        }
        return worst;
    }
}
