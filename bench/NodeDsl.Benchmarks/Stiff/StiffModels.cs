using NodeDsl;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks.Stiff;

// The stiff test set as DSL models (same equations as the tensor fields in StiffProblems.cs), so that a solve can run on
// the generated TorchSharp code or on the native kernels (--backend torch|native).

/// <summary>Scaled Van der Pol: x' = v, v' = 1000((1 − x²)v − x).</summary>
[OdeModel]
public partial class VanDerPolScaledModel
{
    [State] double x, v;

    [Rates]
    (double x, double v) Rhs() => (v, 1000 * ((1 - x * x) * v - x));
}

/// <summary>Van der Pol, μ = 1000: x' = v, v' = μ(1 − x²)v − x.</summary>
[OdeModel]
public partial class VanDerPolModel
{
    [State] double x, v;

    [Rates]
    (double x, double v) Rhs() => (v, 1000 * (1 - x * x) * v - x);
}

/// <summary>Robertson's chemical kinetics (Hairer &amp; Wanner IV.1, eq. 1.4).</summary>
[OdeModel]
public partial class RobertsonModel
{
    [State] double y1, y2, y3;

    [Rates]
    (double y1, double y2, double y3) Rhs()
    {
        var slow = 0.04 * y1;
        var middle = 1e4 * (y2 * y3);
        var fast = 3e7 * (y2 * y2);
        return (middle - slow, slow - middle - fast, fast);
    }
}

/// <summary>HIRES (Schäfer 1975; Hairer &amp; Wanner IV.10).</summary>
[OdeModel]
public partial class HiresModel
{
    [State] double y1, y2, y3, y4, y5, y6, y7, y8;

    [Rates]
    (double y1, double y2, double y3, double y4, double y5, double y6, double y7, double y8) Rhs()
    {
        var reaction = 280 * (y6 * y8);
        return (-1.71 * y1 + 0.43 * y2 + 8.32 * y3 + 0.0007,
                1.71 * y1 - 8.75 * y2,
                -10.03 * y3 + 0.43 * y4 + 0.035 * y5,
                8.32 * y2 + 1.71 * y3 - 1.12 * y4,
                -1.745 * y5 + 0.43 * y6 + 0.43 * y7,
                0.69 * y4 + 1.71 * y5 - 0.43 * y6 + 0.69 * y7 - reaction,
                -1.81 * y7 + reaction,
                1.81 * y7 - reaction);
    }
}

/// <summary>OREGO, the Oregonator (Field &amp; Noyes 1974; Hairer &amp; Wanner IV.10).</summary>
[OdeModel]
public partial class OregoModel
{
    [State] double y1, y2, y3;

    [Rates]
    (double y1, double y2, double y3) Rhs()
        => (77.27 * (y2 + y1 - 8.375e-6 * (y1 * y1) - y1 * y2),
            (y3 - y2 - y1 * y2) / 77.27,
            0.161 * (y1 - y3));
}

/// <summary>The stiff UDE of <see cref="StiffUde"/>: x' = v, v' = −1000 v − 100 x + MLP(x, v); weights set by <see cref="StiffModels.Ude"/>.</summary>
[OdeModel]
public partial class StiffUdeModel
{
    [State] double x, v;

    [Neural(16, Activation = Activation.Tanh)]
    private partial double Net(double x, double v);

    [Rates]
    (double x, double v) Rhs() => (v, -1000 * v - 100 * x + Net(x, v));
}

/// <summary>The DSL model of each problem of <see cref="StiffProblems"/>, in float64 on the CPU.</summary>
public static class StiffModels
{
    /// <summary>A new model for problem <paramref name="name"/>.</summary>
    public static OdeModel For(string name) => name switch
    {
        "vdp-scaled" => new VanDerPolScaledModel(Float64),
        "vdp" => new VanDerPolModel(Float64),
        "robertson" => new RobertsonModel(Float64),
        "hires" => new HiresModel(Float64),
        "orego" => new OregoModel(Float64),
        "ude" => Ude(),
        _ => throw new ArgumentException($"No DSL model for problem '{name}'."),
    };

    static readonly ModelOptions Float64 = new() { DType = ScalarType.Float64 };

    /// <summary>The stiff UDE with <see cref="StiffUde"/>'s fixed weights (and a zero output bias, which it does not have).</summary>
    public static StiffUdeModel Ude()
    {
        var model = new StiffUdeModel(Float64);
        using var noGrad = torch.no_grad();
        foreach (var p in model.parameters())
        {
            var shape = p.shape;
            var values = shape switch
            {
                [16, 2] => StiffUde.W1,
                [16] => StiffUde.B1,
                [1, 16] => StiffUde.W2,
                [1] => [0.0],
                _ => throw new InvalidOperationException($"Unexpected parameter shape [{string.Join(", ", shape)}] in StiffUdeModel."),
            };
            p.copy_(torch.tensor(values, shape, ScalarType.Float64));
        }
        return model;
    }
}
