using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A tableau's continuous extension on one step: <c>y(t0 + θh) = y0 + h Σ_j b_j(θ) k_j</c> with the polynomial
/// weights <see cref="ButcherTableau.Dense"/>. Extra stages (<see cref="ButcherTableau.DenseC"/>, DOP853) are
/// evaluated on first use, so steps without output times do not pay for them.
/// </summary>
internal sealed class TableauDenseOutput : IDenseOutput
{
    readonly ExplicitRungeKutta _method;
    readonly StepPoint _step;
    readonly Tensor _y0;
    readonly IOdeSystem _system;
    readonly SolveCounters _counters;
    Tensor[] _k;

    public TableauDenseOutput(ExplicitRungeKutta method, StepPoint step, Tensor y0, Tensor[] k, IOdeSystem system, SolveCounters counters)
        => (_method, _step, _y0, _k, _system, _counters) = (method, step, y0, k, system, counters);

    public Tensor At(double theta)
    {
        var k = Stages();
        // Weights evaluated on the host: the combination then costs one op per stage (or one matmul).
        var dense = _method.Tableau.Dense!;
        var w = new double[dense.Count];
        for (int j = 0; j < w.Length; j++)
        {
            double power = theta, sum = 0;
            foreach (var coefficient in dense[j]) { sum += coefficient * power; power *= theta; }
            w[j] = sum;
        }
        return ExplicitRungeKutta.Combine(_y0, w, k, k.Length, _step);
    }

    public Tensor At(Tensor theta)
    {
        var k = Stages();
        var matrix = _method.DenseMatrix(_y0.dtype, _y0.device);
        using Scalar start = 1.ToScalar(), stop = (matrix.shape[0] + 1).ToScalar(), step = 1.ToScalar(); // alive across the call (ScalarOps)
        var exponents = torch.arange(start, stop, step, _y0.dtype, _y0.device);
        var weights = theta.pow(exponents).mm(matrix);                   // [batch, stages]; mm: see ExplicitRungeKutta.WeightedSum
        var sum = torch.einsum("bs,sbn->bn", weights, torch.stack(k));   // Σ_j w_j k_j per row
        return _step.AddScaled(_y0, sum, 1.0);
    }

    Tensor[] Stages()
    {
        var tab = _method.Tableau;
        if (tab.DenseC.Count == 0 || _k.Length > tab.Stages) return _k;
        var all = new Tensor[tab.Stages + tab.DenseC.Count];
        _k.CopyTo(all, 0);
        for (int e = 0; e < tab.DenseC.Count; e++)
        {
            int i = tab.Stages + e;
            var yi = ExplicitRungeKutta.Combine(_y0, tab.DenseA[e], all, i, _step);
            all[i] = _counters.Rates(_system, _step.Time(tab.DenseC[e]), yi);
        }
        return _k = all;
    }
}
