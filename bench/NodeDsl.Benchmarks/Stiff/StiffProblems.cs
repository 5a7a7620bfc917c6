using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Benchmarks.Stiff;

/// <summary>
/// One problem of the stiff test set: its vector field (batched over rows of <c>[batch, n]</c>), initial state, output
/// times and how its absolute tolerance follows the relative one. <c>bench/stiff/scipy_stiff.py</c> defines the same
/// problems for scipy; keep the two in step.
/// </summary>
/// <param name="Name">Key used by both scripts.</param>
/// <param name="System">The vector field.</param>
/// <param name="Y0">Initial state.</param>
/// <param name="Times">Output times (the error is measured at all of them after the first).</param>
/// <param name="AtolFactor">atol = AtolFactor · rtol.</param>
public sealed record StiffProblem(string Name, IOdeSystem System, double[] Y0, double[] Times, double AtolFactor);

/// <summary>The classic stiff test problems (Hairer &amp; Wanner, Solving ODEs II, §IV.1 and §IV.10) and a stiff UDE.</summary>
public static class StiffProblems
{
    /// <summary>Every problem, in table order.</summary>
    public static IReadOnlyList<StiffProblem> All { get; } =
    [
        new("vdp-scaled", Field(VanDerPolScaled), [2, 0], Grid(0, 3000, 10), 1),
        new("vdp", Field(VanDerPol), [2, 0], Grid(0, 3000, 10), 1),
        new("robertson", Field(Robertson), [1, 0, 0], [0, .. Enumerable.Range(-5, 17).Select(k => System.Math.Pow(10, k))], 1e-6),
        new("hires", Field(Hires), [1, 0, 0, 0, 0, 0, 0, 0.0057], [0, 321.8122, 421.8122], 1e-3),
        new("orego", Field(Orego), [1, 2, 3], Grid(0, 360, 12), 1),
        new("ude", new StiffUde(), [1, 0], Grid(0, 10, 10), 1),
    ];

    /// <summary>The problem named <paramref name="name"/>.</summary>
    public static StiffProblem ByName(string name) => All.First(p => p.Name == name);

    static double[] Grid(double t0, double t1, int intervals) => [.. Enumerable.Range(0, intervals + 1).Select(i => t0 + (t1 - t0) * i / intervals)];

    // Rows are independent: implicit methods may evaluate all stages in one call.
    static IOdeSystem Field(OdeFunc f) => new RowIndependentOdeSystem(f);

    static Tensor Column(Tensor y, long i) => y.narrow(1, i, 1);

    // Model constants live as long as the model (like a module's buffers), made once per dtype and device.
    static readonly Dictionary<(double[], ScalarType, string), Tensor> Constants = [];

    internal static Tensor Constant(double[] values, long[] shape, Tensor like)
    {
        var key = (values, like.dtype, like.device.ToString());
        if (!Constants.TryGetValue(key, out var tensor))
            Constants[key] = tensor = torch.tensor(values, shape, like.dtype, like.device).DetachFromDisposeScope();
        return tensor;
    }

    /// <summary>The scaled Van der Pol: x' = v, v' = 1000((1 − x²)v − x) on [0, 3000] (~1800 relaxation cycles).</summary>
    static Tensor VanDerPolScaled(Tensor t, Tensor y)
    {
        var x = Column(y, 0);
        var v = Column(y, 1);
        return torch.cat([v, ScalarOps.Mul(v.sub(x.square().mul(v)).sub(x), 1000)], 1);
    }

    /// <summary>Van der Pol, μ = 1000: x' = v, v' = μ(1 − x²)v − x on [0, 3000] (about two relaxation cycles).</summary>
    static Tensor VanDerPol(Tensor t, Tensor y)
    {
        var x = Column(y, 0);
        var v = Column(y, 1);
        return torch.cat([v, ScalarOps.Mul(v.sub(x.square().mul(v)), 1000).sub(x)], 1);
    }

    /// <summary>Robertson's chemical kinetics (Hairer &amp; Wanner IV.1, eq. 1.4), to t = 1e11.</summary>
    static Tensor Robertson(Tensor t, Tensor y)
    {
        var y1 = Column(y, 0);
        var y2 = Column(y, 1);
        var y3 = Column(y, 2);
        var slow = ScalarOps.Mul(y1, 0.04);
        var middle = ScalarOps.Mul(y2.mul(y3), 1e4);
        var fast = ScalarOps.Mul(y2.square(), 3e7);
        return torch.cat([middle.sub(slow), slow.sub(middle).sub(fast), fast], 1);
    }

    // HIRES (Schäfer 1975; Hairer & Wanner IV.10): the linear part as a matrix, the one bilinear reaction separately.
    static readonly double[,] HiresLinear =
    {
        { -1.71, 0.43, 8.32, 0, 0, 0, 0, 0 },
        { 1.71, -8.75, 0, 0, 0, 0, 0, 0 },
        { 0, 0, -10.03, 0.43, 0.035, 0, 0, 0 },
        { 0, 8.32, 1.71, -1.12, 0, 0, 0, 0 },
        { 0, 0, 0, 0, -1.745, 0.43, 0.43, 0 },
        { 0, 0, 0, 0.69, 1.71, -0.43, 0.69, 0 },
        { 0, 0, 0, 0, 0, 0, -1.81, 0 },
        { 0, 0, 0, 0, 0, 0, 1.81, 0 },
    };
    static readonly double[] HiresLinearFlat = HiresLinear.Cast<double>().ToArray();
    static readonly double[] HiresConstant = [0.0007, 0, 0, 0, 0, 0, 0, 0];
    // 280·y6·y8 leaves y6 and y8 and feeds y7.
    static readonly double[] HiresReaction = [0, 0, 0, 0, 0, -280, 280, -280];

    static Tensor Hires(Tensor t, Tensor y)
    {
        var linear = Constant(HiresLinearFlat, [8, 8], y).t();
        var constant = Constant(HiresConstant, [8], y);
        var reaction = Constant(HiresReaction, [8], y);
        var rate = Column(y, 5).mul(Column(y, 7));
        return ScalarOps.AddCMul(torch.addmm(constant.expand(y.shape[0], 8), y, linear, 1, 1), rate, reaction.unsqueeze(0), 1);
    }

    /// <summary>OREGO, the Oregonator (Field &amp; Noyes 1974; Hairer &amp; Wanner IV.10) on [0, 360].</summary>
    static Tensor Orego(Tensor t, Tensor y)
    {
        var y1 = Column(y, 0);
        var y2 = Column(y, 1);
        var y3 = Column(y, 2);
        var r1 = ScalarOps.Mul(y2.add(y1.sub(ScalarOps.Mul(y1.square(), 8.375e-6)).sub(y1.mul(y2))), 77.27);
        var r2 = ScalarOps.Div(y3.sub(y2).sub(y1.mul(y2)), 77.27);
        var r3 = ScalarOps.Mul(y1.sub(y3), 0.161);
        return torch.cat([r1, r2, r3], 1);
    }
}

/// <summary>
/// A stiff universal differential equation: a stiff damped oscillator (eigenvalues ≈ −0.1 and −1000) with a learned
/// forcing term, x' = v, v' = −1000 v − 100 x + MLP(x, v), MLP 2 → 16 → tanh → 1 with fixed deterministic weights
/// <c>W1[i, j] = sin(1 + i + 3j)</c>, <c>b1[i] = cos(i)/2</c>, <c>W2[i] = 50 sin(2 + 5i)/16</c> (the same formula in scipy_stiff.py).
/// </summary>
public sealed class StiffUde : IRowIndependentRates
{
    const int Hidden = 16;
    internal static readonly double[] W1 = [.. Enumerable.Range(0, Hidden).SelectMany(i => new[] { System.Math.Sin(1 + i), System.Math.Sin(4 + i) })];
    internal static readonly double[] B1 = [.. Enumerable.Range(0, Hidden).Select(i => System.Math.Cos(i) / 2)];
    internal static readonly double[] W2 = [.. Enumerable.Range(0, Hidden).Select(i => 50 * System.Math.Sin(2 + 5 * i) / Hidden)];

    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y)
    {
        var w1 = StiffProblems.Constant(W1, [Hidden, 2], y);
        var b1 = StiffProblems.Constant(B1, [Hidden], y);
        var w2 = StiffProblems.Constant(W2, [Hidden, 1], y);
        var network = torch.nn.functional.linear(y, w1, b1).tanh().matmul(w2);
        var x = y.narrow(1, 0, 1);
        var v = y.narrow(1, 1, 1);
        var acceleration = ScalarOps.Mul(v, -1000).sub(ScalarOps.Mul(x, 100)).add(network);
        return torch.cat([v, acceleration], 1);
    }
}
