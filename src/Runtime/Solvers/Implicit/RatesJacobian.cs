using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>How an implicit method obtains the Jacobian <c>∂f/∂y</c>.</summary>
public enum JacobianMethod
{
    /// <summary>Reverse-mode autograd, n backward passes; falls back to finite differences when the rates are not differentiable.</summary>
    Autograd,
    /// <summary>Forward finite differences, n extra evaluations of the vector field.</summary>
    FiniteDifference,
}

/// <summary>Batched Jacobians <c>J[b, i, j] = ∂f_i/∂y_j</c> of the rates at one point of every batch row.</summary>
internal static class RatesJacobian
{
    /// <summary>
    /// The per-row Jacobians <c>[batch, n, n]</c> at <c>(t, y)</c>, detached from any graph (simplified Newton treats
    /// them as constants). Counts one Jacobian evaluation and the vector-field evaluations it needs.
    /// </summary>
    public static Tensor Evaluate(IOdeSystem f, Tensor t, Tensor y, Tensor fy, JacobianMethod method, SolveCounters counters)
    {
        counters.JacobianEvaluations++;
        if (method == JacobianMethod.Autograd && OnHost(f, t, y, counters, withTime: false) is { } host) return host.Jacobian;
        if (method == JacobianMethod.Autograd && ByAutograd(f, t, y, counters) is { } j) return j;
        return ByFiniteDifferences(f, t, y, fy, counters);
    }

    /// <summary>
    /// The per-row Jacobians <c>[batch, n, n]</c> and time derivatives <c>∂f/∂t</c> (<c>[batch, n]</c>) at <c>(t, y)</c>, as
    /// Rosenbrock methods need them. By autograd both come from the same n backward passes (t enters as a <c>[batch, 1]</c>
    /// leaf); by finite differences ∂f/∂t costs one more evaluation. With <paramref name="withGraph"/> (autograd only) the
    /// results keep their graph to <paramref name="y"/> and the system's parameters (double backward), so that direct
    /// backpropagation through a step that uses them is exact; otherwise they are detached.
    /// </summary>
    public static (Tensor Jacobian, Tensor TimeDerivative) EvaluateWithTime(IOdeSystem f, Tensor t, Tensor y, Tensor fy, JacobianMethod method,
        SolveCounters counters, bool withGraph)
    {
        counters.JacobianEvaluations++;
        if (method == JacobianMethod.Autograd && !withGraph && OnHost(f, t, y, counters, withTime: true) is { } host) return (host.Jacobian, host.TimeDerivative!);
        if (method == JacobianMethod.Autograd && ByAutogradWithTime(f, t, y, counters, withGraph) is { } both) return both;
        using var scope = NewDisposeScope();
        var j = ByFiniteDifferences(f, t, y, fy, counters);
        using var noGrad = torch.no_grad();
        // Forward difference in t with δ = √u·max(1, |t|) (the time is a host-exact scalar or one per row).
        var td = t.detach();
        var delta = ScalarOps.Mul(ScalarOps.ClampMin(td.abs(), 1.0), Math.Sqrt(UnitRoundoff(y.dtype)));
        var ft = counters.Rates(f, td.add(delta, ScalarOps.One), y.detach()).sub(fy.detach()).div(delta);
        return (j.MoveToOuterDisposeScope(), ft.MoveToOuterDisposeScope());
    }

    static (Tensor, Tensor)? ByAutogradWithTime(IOdeSystem f, Tensor t, Tensor y, SolveCounters counters, bool withGraph)
    {
        using var scope = NewDisposeScope();
        using var grad = torch.enable_grad();
        long batch = y.shape[0], n = y.shape[1];
        var yv = withGraph && y.requires_grad ? y : y.detach().requires_grad_(true);
        var tv = t.detach().expand(batch, 1).clone().requires_grad_(true);
        var fv = counters.Rates(f, tv, yv);
        if (!fv.requires_grad) return null;
        var rows = new Tensor[n];
        var times = new Tensor[n];
        var identity = eye(n, dtype: fv.dtype, device: fv.device);
        for (long i = 0; i < n; i++)
        {
            var seed = identity[i].expand(batch, n);
            var g = torch.autograd.grad([fv], [yv, tv], [seed], retain_graph: withGraph || i < n - 1, create_graph: withGraph, allow_unused: true);
            rows[i] = g[0] is null || g[0].IsInvalid ? zeros_like(y) : withGraph ? g[0] : g[0].detach();
            times[i] = g[1] is null || g[1].IsInvalid ? zeros(batch, 1, dtype: y.dtype, device: y.device) : withGraph ? g[1] : g[1].detach();
        }
        return (stack(rows, dim: 1).MoveToOuterDisposeScope(), cat(times, 1).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The exact Jacobian (and ∂f/∂t) of an <see cref="IHostRates"/> system at one shared time, evaluated on the host; null
    /// for other systems and per-row times. Counts one evaluation, as the autograd path's forward pass does.
    /// </summary>
    static (Tensor Jacobian, Tensor? TimeDerivative)? OnHost(IOdeSystem f, Tensor t, Tensor y, SolveCounters counters, bool withTime)
    {
        if (f is not IHostRates host || t.numel() != 1) return null;
        counters.FunctionEvaluations++;
        long batch = y.shape[0], n = y.shape[1];
        var values = new double[batch * n];
        HostTensors.CopyTo(y, values);
        var jacobian = new double[batch * n * n];
        var timeDerivative = withTime ? new double[batch * n] : [];
        host.Jacobian(t.ToDouble(), values, jacobian, timeDerivative);
        return (As(HostTensors.Write<double>(jacobian, batch, n, n), y.dtype), withTime ? As(HostTensors.Write<double>(timeDerivative, batch, n), y.dtype) : null);

        static Tensor As(Tensor x, ScalarType dtype) => x.dtype == dtype ? x : x.to(dtype);
    }

    /// <summary>
    /// Rows of different batch entries are independent, so one backward pass with grad output e_i (one-hot in
    /// component i, for every row) yields row i of all batch Jacobians at once: n passes in total.
    /// Returns null when the rates do not depend differentiably on y (no graph to the input).
    /// </summary>
    static Tensor? ByAutograd(IOdeSystem f, Tensor t, Tensor y, SolveCounters counters)
    {
        using var scope = NewDisposeScope();
        using var grad = torch.enable_grad();
        var yv = y.detach().requires_grad_(true);
        var fv = counters.Rates(f, t.detach(), yv);
        if (!fv.requires_grad) return null;
        long n = y.shape[1];
        var rows = new Tensor[n];
        for (long i = 0; i < n; i++)
        {
            var seed = zeros_like(fv);
            seed[TensorIndex.Colon, TensorIndex.Single(i)] = ones(1, dtype: fv.dtype, device: fv.device);
            var g = torch.autograd.grad([fv], [yv], [seed], retain_graph: i < n - 1, allow_unused: true)[0];
            rows[i] = g is null || g.IsInvalid ? zeros_like(y) : g.detach();
        }
        return stack(rows, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Column j from one evaluation at <c>y + δ_j e_j</c> for all rows, with δ = √(u·max(1e-5, |y_j|)) as in
    /// Hairer &amp; Wanner's RADAU5 (u = unit round-off of the dtype).
    /// </summary>
    static Tensor ByFiniteDifferences(IOdeSystem f, Tensor t, Tensor y, Tensor fy, SolveCounters counters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var yd = y.detach();
        var f0 = fy.detach();
        var td = t.detach();
        double u = UnitRoundoff(y.dtype);
        var delta = ScalarOps.Mul(ScalarOps.ClampMin(yd.abs(), 1e-5), u).sqrt();
        long n = y.shape[1];
        var columns = new Tensor[n];
        for (long j = 0; j < n; j++)
        {
            var dj = zeros_like(yd);
            dj[TensorIndex.Colon, TensorIndex.Single(j)] = delta[TensorIndex.Colon, TensorIndex.Single(j)];
            var fj = counters.Rates(f, td, yd.add(dj, ScalarOps.One));
            columns[j] = fj.sub(f0).div(delta[TensorIndex.Colon, TensorIndex.Slice(j, j + 1)]);
        }
        return stack(columns, dim: 2).MoveToOuterDisposeScope();
    }

    /// <summary>Unit round-off (machine epsilon) of a floating dtype.</summary>
    public static double UnitRoundoff(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => 2.220446049250313e-16,
        ScalarType.Float32 => 1.1920928955078125e-7,
        ScalarType.BFloat16 => 7.8125e-3,
        _ => 9.765625e-4, // float16
    };
}
